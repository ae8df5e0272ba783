package sip.torture.wire;

import java.util.List;
import sip.router.TransactionStats;
import sip.torture.wire.PlainUas.Handler;
import sip.torture.wire.PlainUas.Seen;
import sip.torture.wire.RawPeer.Arrival;

/**
 * What the server must do with one torture file sent over the wire.
 *
 * @param kind the file's class in MANIFEST.tsv, repeated so that a changed manifest is noticed
 * @param outcome the answer, or the silence, the file must get
 * @param why the manifest's words or the RFC section the outcome rests on
 */
record WireExpectation(String kind, Outcome outcome, String why) {

    sealed interface Outcome permits Answer, Silence {}

    /**
     * A final response with {@code status}, after the request reached {@code handler} (or no
     * handler: answered by the stack itself), then {@code more} checks.
     */
    record Answer(int status, Handler handler, Check more) implements Outcome {}

    /**
     * No response within the silence window, no handler called, and {@code counter} up by one:
     * the stack saw the message and dropped it on purpose.
     */
    record Silence(Counter counter) implements Outcome {}

    enum Counter {
        STRAY_RESPONSES, MALFORMED_DROPPED;

        long of(TransactionStats s) {
            return this == STRAY_RESPONSES ? s.strayResponses() : s.malformedDropped();
        }
    }

    /** What an exchange produced, for a file's own checks. */
    record Result(RawMessage request, RawMessage response, List<Arrival> arrivals, List<Seen> seen) {
        /** The one request a handler saw (the common checks made sure there is exactly one). */
        sip.message.SipRequest handled() {
            return seen.getFirst().request();
        }
    }

    @FunctionalInterface
    interface Check {
        Check NONE = r -> {};

        void check(Result result) throws Exception;
    }
}
