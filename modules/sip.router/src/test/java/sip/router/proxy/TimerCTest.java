package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.memUri;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Method;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * Timer C (RFC 3261 §16.6 item 11) on the virtual clock: a ringing branch is cancelled, one with
 * only a 100 gives a local 408, and each provisional above 100 restarts the timer. The UAC and
 * UAS get long handler timeouts so their own 408s stay out of the picture.
 */
@Timeout(60)
class TimerCTest {

    private static final Duration LONG = Duration.ofMinutes(30);

    private final ProxyBed bed = new ProxyBed();
    private Proxy proxy;
    private UserAgent uac;
    private ProxyBed.Uas uas;

    @BeforeEach
    void agents() throws Exception {
        proxy = bed.proxy();
        uac = bed.agent("uac", UAC, b -> b.inviteHandlerTimeout(LONG), "mem");
        uas = bed.uas("uas", UAS1, b -> b.inviteHandlerTimeout(LONG));
    }

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private ClientTransaction call() {
        return uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)), Destination.of("mem", PROXY));
    }

    @Test
    void aRingingBranchIsCancelledWhenTimerCFires() throws Exception {
        ClientTransaction call = call();
        ServerTransaction at = uas.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at.onCancel(c -> cancelled.countDown());
        at.respond(180);
        bed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 180), "180 upstream");
        bed.advance(Duration.ofSeconds(179));
        assertFalse(cancelled.await(0, TimeUnit.SECONDS), "not before 3 min");
        bed.advance(Duration.ofSeconds(2));
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "Timer C cancelled the branch");
        assertEquals(487, call.response().get(10, TimeUnit.SECONDS).statusCode(), "the UAS's 487, forwarded");
        bed.drain();
    }

    @Test
    void eachProvisionalRestartsTimerC() throws Exception {
        ClientTransaction call = call();
        ServerTransaction at = uas.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at.onCancel(c -> cancelled.countDown());
        at.respond(180);
        bed.await(() -> call.provisionalResponses().size() >= 1, "180 upstream");
        bed.advance(Duration.ofMinutes(2));
        at.respond(183);
        bed.await(() -> call.provisionalResponses().stream().anyMatch(r -> r.statusCode() == 183), "183 upstream");
        bed.advance(Duration.ofMinutes(2)); // 4 min after the 180, 2 after the 183
        assertFalse(cancelled.await(0, TimeUnit.SECONDS), "the 183 restarted Timer C");
        assertFalse(call.response().isDone());
        bed.advance(Duration.ofSeconds(61)); // past 3 min after the 183
        assertTrue(cancelled.await(10, TimeUnit.SECONDS));
        assertEquals(487, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void withoutAProvisionalAbove100TimerCGivesALocal408() throws Exception {
        ClientTransaction call = call();
        ServerTransaction at = uas.take(Method.INVITE);
        CountDownLatch cancelled = new CountDownLatch(1);
        at.onCancel(c -> cancelled.countDown());
        // Only the UAS's automatic 100 Trying: its transaction stays up, the call goes nowhere.
        bed.advance(Duration.ofMinutes(3).plusSeconds(1));
        assertEquals(408, call.response().get(10, TimeUnit.SECONDS).statusCode());
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the branch is still cancelled downstream");
        assertEquals(1, proxy.stats().failed());
        bed.drain();
    }

    @Test
    void timerCBelowThreeMinutesIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Proxy.newBuilder(uac).timerC(Duration.ofSeconds(179)));
    }
}
