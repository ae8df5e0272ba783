package sip.script.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import sip.message.SipRequest;
import sip.message.SipResponse;

/**
 * One {@code sip.relay(...)} a script made, and how the offline proxy played it out.
 *
 * @param request the request as the script relayed it: its header edits and Request-URI
 *     rewrite applied, before the proxy's own changes
 * @param targets the targets the script gave, as URIs, in order
 * @param recordRoute whether the proxy record-routed (the option, else the proxy's default: on; never for a REGISTER, as the real proxy)
 * @param forking {@code parallel} or {@code serial}
 * @param branchTimeout the per-branch timeout (until the final response), when set
 * @param responseTimeout the per-branch timeout until the first response of any kind, when set
 * @param maxBranches the most branches the relay may create
 * @param branches every branch started, in order: the targets given, then those
 *     {@code onFailure} returned
 * @param upstream the final response sent upstream; empty when none was (the request had been
 *     answered already)
 */
public record Relay(SipRequest request, List<String> targets, boolean recordRoute, String forking,
                    Optional<Duration> branchTimeout, Optional<Duration> responseTimeout, int maxBranches, List<Branch> branches,
                    Optional<SipResponse> upstream) {

    public Relay {
        Objects.requireNonNull(request, "request");
        targets = List.copyOf(targets);
        Objects.requireNonNull(forking, "forking");
        Objects.requireNonNull(branchTimeout, "branchTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        branches = List.copyOf(branches);
        Objects.requireNonNull(upstream, "upstream");
    }

    /**
     * One forwarded copy of the request.
     *
     * @param index 0 for the first branch, counting up as branches start
     * @param target the branch's Request-URI
     * @param request the copy as forwarded: Request-URI, Route (a contact's Path), Max-Forwards
     *     decremented, the proxy's Via and Record-Route on top
     * @param status the final status the branch ended with: the simulated answer
     *     ({@link ScriptTester#onRelay}; {@code 408} for {@link ScriptTester#NO_ANSWER}), or {@code 487} when the proxy cancelled it because
     *     another branch decided the relay
     */
    public record Branch(int index, String target, SipRequest request, int status) {
        public Branch {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(request, "request");
        }

        @Override
        public String toString() {
            return target + " -> " + status;
        }
    }

    /** Every branch's target, in the order they started. */
    public List<String> branchTargets() {
        return branches.stream().map(Branch::target).toList();
    }

    /** {@code [sip:a] (record-route, parallel): sip:a -> 200; upstream 200 OK}. */
    @Override
    public String toString() {
        return targets + " (" + (recordRoute ? "record-route" : "no record-route") + ", " + forking
                + branchTimeout.map(t -> ", branchTimeout " + t.toMillis() + " ms").orElse("")
                + responseTimeout.map(t -> ", responseTimeout " + t.toMillis() + " ms").orElse("") + "): "
                + (branches.isEmpty() ? "no branch" : String.join(", ", branches.stream().map(Branch::toString).toList()))
                + upstream.map(r -> "; upstream " + r.statusCode() + " " + r.status().reason()).orElse("; nothing upstream");
    }
}
