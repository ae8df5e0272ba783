package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.script.ScriptError;

/** ScriptTester's assertions: each passes on what the script did and fails saying what it did instead. */
class OutcomeTest {

    private final SipRequest invite = new SyntheticRequest("INVITE", "sip:alice@example.test").build();

    private Outcome replied(int status) {
        return new Outcome(invite, List.of(SipResponse.forRequest(invite, status)), List.of(),
                List.of(new LogLine("INFO", "proxy.js:12", "nobody home")), Optional.empty(), List.of());
    }

    private Outcome relayed(boolean recordRoute, int upstream) {
        SipResponse up = SipResponse.forRequest(invite, upstream);
        Relay relay = new Relay(invite, List.of("sip:alice@10.0.0.2:5060"), recordRoute, "parallel", Optional.empty(), Optional.empty(), 60,
                List.of(new Relay.Branch(0, "sip:alice@10.0.0.2:5060", invite, upstream)), Optional.of(up));
        return new Outcome(invite, List.of(up), List.of(relay), List.of(), Optional.empty(), List.of());
    }

    @Test
    void assertRepliedPassesOnTheStatusAndReason() {
        Outcome o = replied(404);
        assertEquals(o, o.assertReplied(404));
        o.assertReplied(404, "Not Found").assertFinal(404).assertLogged("nobody home").assertNoError();
        assertEquals(404, o.replied().orElseThrow().statusCode());
    }

    @Test
    void assertRepliedOnARelayNamesTheRelay() {
        AssertionError e = assertThrows(AssertionError.class, () -> relayed(true, 200).assertReplied(404));
        assertTrue(e.getMessage().startsWith("expected a reply 404, but for INVITE sip:alice@example.test the script "
                + "relayed to [sip:alice@10.0.0.2:5060] (record-route, parallel): sip:alice@10.0.0.2:5060 -> 200; upstream 200 OK"),
                e.getMessage());
    }

    @Test
    void assertRepliedWithAnotherStatusNamesTheReplyAndTheLog() {
        AssertionError e = assertThrows(AssertionError.class, () -> replied(404).assertReplied(200));
        assertEquals("expected a reply 200, but for INVITE sip:alice@example.test the script replied 404 Not Found\n"
                + "  log:\n    INFO proxy.js:12: nobody home", e.getMessage());
        AssertionError reason = assertThrows(AssertionError.class, () -> replied(404).assertReplied(404, "Not Here"));
        assertTrue(reason.getMessage().startsWith("expected a reply 404 Not Here, but"), reason.getMessage());
    }

    @Test
    void assertRelayedOnAReplyNamesTheReply() {
        AssertionError e = assertThrows(AssertionError.class, () -> replied(404).assertRelayed());
        assertTrue(e.getMessage().startsWith("expected a relay, but for INVITE sip:alice@example.test the script replied 404 Not Found"),
                e.getMessage());
    }

    @Test
    void relayChecksPassAndFailWithWhatWasDone() {
        Outcome o = relayed(false, 200);
        o.assertRelayed().to("sip:alice@10.0.0.2:5060")
                .withoutRecordRoute().forking("parallel").branches("sip:alice@10.0.0.2:5060").answered(200);
        assertTrue(assertThrows(AssertionError.class, () -> o.assertRelayed().withRecordRoute()).getMessage()
                .startsWith("expected a relay with Record-Route, but for INVITE sip:alice@example.test the script relayed to "
                        + "[sip:alice@10.0.0.2:5060] (no record-route, parallel)"));
        assertTrue(assertThrows(AssertionError.class, () -> o.assertRelayed().to("sip:bob@10.0.0.3")).getMessage()
                .startsWith("expected a relay to [sip:bob@10.0.0.3], but"));
        assertTrue(assertThrows(AssertionError.class, () -> o.assertRelayed().forking("serial")).getMessage()
                .startsWith("expected serial forking, but"));
        assertTrue(assertThrows(AssertionError.class, () -> o.assertRelayed().withBranchTimeout(Duration.ofSeconds(2)))
                .getMessage().startsWith("expected a branch timeout of 2000 ms, but"));
        assertTrue(assertThrows(AssertionError.class, () -> o.assertRelayed().answered(503)).getMessage()
                .startsWith("expected 503 upstream, but"));
        assertTrue(assertThrows(AssertionError.class, () -> o.assertRelayed().withHeader("X-Tenant", "blue")).getMessage()
                .startsWith("expected the relayed request to carry X-Tenant: blue (it has no X-Tenant), but"));
    }

    @Test
    void targetsCompareAsUris() {
        relayed(true, 200).assertRelayed().to("sip:alice@10.0.0.2:5060");
        assertTrue(RelayAssert.sameUri("sip:alice@EXAMPLE.test;transport=tcp", "sip:alice@example.test;transport=TCP"));
    }

    @Test
    void errorsAreNamedWithTheirLocation() {
        ScriptError err = new ScriptError("proxy.js", 3, 7, "TypeError: x is undefined", ScriptError.Kind.RUNTIME);
        Outcome o = new Outcome(invite, List.of(SipResponse.forRequest(invite, 500)), List.of(), List.of(),
                Optional.of(err), List.of());
        o.assertError("proxy.js:3:7: TypeError").assertReplied(500);
        AssertionError e = assertThrows(AssertionError.class, o::assertNoError);
        assertEquals("expected no script error, but for INVITE sip:alice@example.test the script replied 500 Server Internal Error\n"
                + "  script error (RUNTIME): proxy.js:3:7: TypeError: x is undefined\n  and logged nothing", e.getMessage());
        assertTrue(assertThrows(AssertionError.class, () -> replied(200).assertError("TypeError")).getMessage()
                .startsWith("expected a script error containing \"TypeError\", but"));
        assertTrue(assertThrows(AssertionError.class, () -> replied(200).assertLogged("relayed")).getMessage()
                .startsWith("expected a log line containing \"relayed\", but"));
    }
}
