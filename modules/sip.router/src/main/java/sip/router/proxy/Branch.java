package sip.router.proxy;

import java.util.Objects;

/**
 * One forwarded copy of a relayed request (RFC 3261 §16.6): its own client transaction and Via
 * branch, to one {@link Target}.
 *
 * @param index 0 for the first branch of a relay, counting up in the order branches start
 *     (targets added by {@link RelayOptions.Builder#onBranchFailure} included)
 * @param target where the branch goes
 */
public record Branch(int index, Target target) {

    public Branch {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        Objects.requireNonNull(target, "target");
    }
}
