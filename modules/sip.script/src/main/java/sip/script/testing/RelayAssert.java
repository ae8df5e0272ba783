package sip.script.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;

/**
 * Checks of the relay an {@link Outcome} holds, chained:
 * {@code o.assertRelayed().to("sip:alice@10.0.0.2:5060").withRecordRoute()}. Each check throws an
 * {@link AssertionError} that says what the script did instead. Targets compare as SIP URIs
 * (RFC 3261 §19.1.4: host case and parameter order do not matter).
 */
public final class RelayAssert {
    private final Outcome outcome;
    private final Relay relay;

    RelayAssert(Outcome outcome, Relay relay) {
        this.outcome = outcome;
        this.relay = relay;
    }

    /** The relay checked. */
    public Relay relay() {
        return relay;
    }

    /** The outcome it belongs to, to go on with its checks. */
    public Outcome outcome() {
        return outcome;
    }

    /** The script gave exactly these targets, in this order. */
    public RelayAssert to(String... targets) {
        if (!sameUris(relay.targets(), Arrays.asList(targets))) {
            throw outcome.fail("expected a relay to " + Arrays.toString(targets));
        }
        return this;
    }

    /** Branches went to exactly these targets, in this order: the targets given, then failover. */
    public RelayAssert branches(String... targets) {
        if (!sameUris(relay.branchTargets(), Arrays.asList(targets))) {
            throw outcome.fail("expected branches to " + Arrays.toString(targets));
        }
        return this;
    }

    public RelayAssert withRecordRoute() {
        if (!relay.recordRoute()) {
            throw outcome.fail("expected a relay with Record-Route");
        }
        return this;
    }

    public RelayAssert withoutRecordRoute() {
        if (relay.recordRoute()) {
            throw outcome.fail("expected a relay without Record-Route");
        }
        return this;
    }

    /** The forking mode: {@code parallel} or {@code serial}. */
    public RelayAssert forking(String mode) {
        if (!relay.forking().equals(mode)) {
            throw outcome.fail("expected " + mode + " forking");
        }
        return this;
    }

    public RelayAssert withBranchTimeout(Duration timeout) {
        if (!relay.branchTimeout().equals(Optional.of(timeout))) {
            throw outcome.fail("expected a branch timeout of " + timeout.toMillis() + " ms");
        }
        return this;
    }

    /** The relay's {@code responseTimeout} option (time to a branch's first response). */
    public RelayAssert withResponseTimeout(Duration timeout) {
        if (!relay.responseTimeout().equals(Optional.of(timeout))) {
            throw outcome.fail("expected a response timeout of " + timeout.toMillis() + " ms");
        }
        return this;
    }

    /** The relayed request has a {@code name} header whose first value is {@code value}. */
    public RelayAssert withHeader(String name, String value) {
        Optional<String> actual = relay.request().header(name);
        if (!actual.equals(Optional.of(value))) {
            throw outcome.fail("expected the relayed request to carry " + name + ": " + value
                    + " (it has " + actual.map(v -> name + ": " + v).orElse("no " + name) + ")");
        }
        return this;
    }

    /** The relayed request has no {@code name} header. */
    public RelayAssert withoutHeader(String name) {
        List<String> actual = relay.request().headerValues(sip.message.HeaderName.of(name));
        if (!actual.isEmpty()) {
            throw outcome.fail("expected the relayed request without " + name + " (it has " + actual + ")");
        }
        return this;
    }

    /** The relayed request's Request-URI is {@code uri} (after the script's {@code setUri}). */
    public RelayAssert withRequestUri(String uri) {
        SipRequest r = relay.request();
        if (!sameUri(r.requestUri().toString(), uri)) {
            throw outcome.fail("expected the relayed Request-URI " + uri + " (it is " + r.requestUri() + ")");
        }
        return this;
    }

    /** The final response that went upstream has {@code status}. */
    public RelayAssert answered(int status) {
        int actual = relay.upstream().map(SipResponse::statusCode).orElse(0);
        if (actual != status) {
            throw outcome.fail("expected " + status + " upstream");
        }
        return this;
    }

    private static boolean sameUris(List<String> actual, List<String> expected) {
        if (actual.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!sameUri(actual.get(i), expected.get(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean sameUri(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Uri.parse(a).equals(Uri.parse(b));
        } catch (RuntimeException notUris) {
            return false;
        }
    }
}
