package sip.message;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The Subscription-State value (RFC 6665 §8.2.3).
 *
 * @param state {@code active}, {@code pending}, {@code terminated} or an extension
 * @param parameters {@code expires}, {@code reason}, {@code retry-after}, ...
 */
public record SubscriptionState(String state, Parameters parameters) {
    public SubscriptionState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(parameters, "parameters");
        sip.message.internal.Grammar.requireNoCrLf("Subscription-State", state);
    }

    public OptionalLong expires() {
        String v = parameters.value("expires");
        long n = sip.message.internal.Numbers.parse(v, 0xFFFF_FFFFL);
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** The reason parameter, or null. */
    public String reason() {
        return parameters.value("reason");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(state);
        parameters.appendTo(sb);
        return sb.toString();
    }
}
