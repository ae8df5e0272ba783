package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.internal.transaction.Harness.await;
import static sip.router.internal.transaction.Harness.inbound;
import static sip.router.internal.transaction.Harness.reply;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.router.ClientTransaction;
import sip.transport.spi.Protocol;

/**
 * What close logs about the transactions it ends: a normal stop after traffic ends only answered
 * transactions lingering for their timers (Timers J, K, H, I...), no loss anyone sees, so nothing
 * at WARN; a transaction still awaiting a final response (answered 503 / failed locally) is WARN.
 * Observed on System.err, where slf4j-simple writes at its default level, INFO.
 */
class CloseLogLevelTest {

    @Test
    void lingeringAnsweredTransactionsEndSilently() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction out = h.send(Method.OPTIONS);
        h.receive(reply(out.request(), 200, "t"));
        await(out);
        ClientTransaction failed = h.send(Method.INVITE);
        h.receive(reply(failed.request(), 486, "t2"));
        await(failed);
        h.receive(inbound("OPTIONS", "z9hG4bK-in1", "c1", 1, null));
        h.onlyRequest().respond(200);
        assertTrue(h.live() > 0, "answered transactions linger on UDP");

        String log = closeCapturingStderr(h);
        assertFalse(log.contains("WARN"), log);
    }

    @Test
    void aTransactionAwaitingItsFinalResponseIsAWarning() throws Exception {
        Harness h = new Harness(Protocol.UDP);
        ClientTransaction lingering = h.send(Method.OPTIONS);
        h.receive(reply(lingering.request(), 200, "t"));
        await(lingering);
        h.receive(inbound("INVITE", "z9hG4bK-in2", "c2", 1, null));

        String log = closeCapturingStderr(h);
        assertTrue(log.contains("WARN") && log.contains("awaiting a final response") && log.contains(": 1"), log);
    }

    private static String closeCapturingStderr(Harness h) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            h.layer.closeAsync(Duration.ZERO).get(10, TimeUnit.SECONDS);
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
