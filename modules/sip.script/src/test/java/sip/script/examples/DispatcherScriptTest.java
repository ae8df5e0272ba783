package sip.script.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;

/**
 * examples/dispatcher.js: round robin over three servers, failover on 503 and timeouts only, a
 * branch timeout on non-INVITEs only.
 */
class DispatcherScriptTest {

    private static final String A = "sip:127.0.0.1:5070";
    private static final String B = "sip:127.0.0.1:5071";
    private static final String C = "sip:127.0.0.1:5072";

    private ScriptTester t;

    @BeforeEach
    void load() {
        t = ScriptTester.load(Examples.script("dispatcher.js"));
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void newRequestsGoRoundRobin() {
        List<String> firstTargets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Outcome o = t.send(t.invite("sip:conference@example.test"));
            o.assertRelayed().withRecordRoute().answered(200);
            firstTargets.add(o.relays().getFirst().targets().getFirst());
        }
        assertEquals(List.of(A, B, C, A), firstTargets);
        assertEquals(4.0, ((Number) t.stored("dispatcher:turn").orElseThrow()).doubleValue(), "the turn lives in sip.store");
    }

    @Test
    void anInviteHasAResponseTimeoutButNoBranchTimeoutSoARingingCallIsNotCancelled() {
        // branchTimeout counts to the final response, provisionals do not reset it: on an INVITE it
        // would CANCEL every call ringing longer. responseTimeout stops at the first response (100).
        Outcome o = t.send(t.invite("sip:conference@example.test"));
        o.assertRelayed().withResponseTimeout(Duration.ofMillis(2000));
        assertEquals(Optional.empty(), o.relays().getFirst().branchTimeout(), o::toString);
    }

    @Test
    void aServerThatNeverAnswersAnInviteFailsOverAfterTheResponseTimeout() {
        t.onRelay(target -> target.equals(A) ? ScriptTester.NO_ANSWER : 200);
        Outcome o = t.send(t.invite("sip:conference@example.test"));
        o.assertRelayed().to(A).withResponseTimeout(Duration.ofMillis(2000)).branches(A, B).answered(200);
        o.assertLogged(A + " answered 408 - trying " + B);
    }

    @Test
    void otherRequestsHaveABranchTimeout() {
        t.send(t.request("OPTIONS", "sip:conference@example.test"))
                .assertRelayed().withRecordRoute().withBranchTimeout(Duration.ofMillis(2000)).answered(200);
        assertEquals(Optional.empty(), t.send(t.request("OPTIONS", "sip:conference@example.test")).relays().getFirst()
                .responseTimeout(), "a non-INVITE is bounded by branchTimeout alone");
        t.send(t.request("MESSAGE", "sip:conference@example.test"))
                .assertRelayed().withBranchTimeout(Duration.ofMillis(2000)).answered(200);
    }

    @Test
    void anOverloadedServerFailsOverToTheNext() {
        t.onRelay(target -> target.equals(A) ? 503 : 200);
        Outcome o = t.send(t.invite("sip:conference@example.test"));
        o.assertRelayed().to(A).branches(A, B).answered(200);
        o.assertLogged(A + " answered 503 - trying " + B);
    }

    @Test
    void aSilentServerFailsOverToo() {
        t.send(t.invite("sip:conference@example.test")); // A's turn: now B is next
        t.onRelay(target -> target.equals(B) || target.equals(C) ? 408 : 200);
        t.send(t.invite("sip:conference@example.test")).assertRelayed().to(B).branches(B, C, A).answered(200);
    }

    @Test
    void theCalleesOwnAnswerIsNotAServerFault() {
        t.onRelay(target -> 486);
        t.send(t.invite("sip:busy@example.test")).assertRelayed().branches(A).answered(486);
    }

    @Test
    void everyServerDownTriesEachOnceThenGivesUp() {
        t.onRelay(target -> 503);
        Outcome o = t.send(t.invite("sip:conference@example.test"));
        o.assertRelayed().branches(A, B, C).answered(500); // RFC 3261 §16.7: a 503 goes upstream as 500
        o.assertLogged("every server failed");
    }

    @Test
    void aStrayInDialogRequestIs404() {
        t.send(t.request("BYE", "sip:127.0.0.1:5070").toTag("x")).assertReplied(404);
    }
}
