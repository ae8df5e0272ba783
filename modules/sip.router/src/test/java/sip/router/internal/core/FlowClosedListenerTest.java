package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipUri;
import sip.transport.spi.Flow;

/** Server.onFlowClosed's listener: told one flow at a time, in close order, and never after stop. */
@Timeout(10)
class FlowClosedListenerTest {

    private final ServerImpl server = new ServerImpl(
            (flow, sips) -> SipUri.of("parley", "192.0.2.1", flow.local().getPort()), 2, new sip.router.internal.Counters());

    private static Flow flow(int port) {
        return new Flow("ws", new InetSocketAddress("192.0.2.1", 8080), new InetSocketAddress("198.51.100.7", port));
    }

    @Test
    void aMassDisconnectIsToldInCloseOrderOnOneThreadAtATime() throws Exception {
        int flows = 2_000;
        List<Flow> told = new ArrayList<>();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostConcurrent = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(flows);
        // The first call waits until every close is queued: a mass disconnect arrives faster than
        // the listener runs. (Without it a fast listener may empty the queue between two closes
        // and its drainer end, so how many threads ran would depend on scheduling.)
        CountDownLatch allQueued = new CountDownLatch(1);
        server.onFlowClosed(f -> {
            try {
                allQueued.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            synchronized (told) {
                told.add(f);
            }
            threads.add(Thread.currentThread());
            concurrent.decrementAndGet();
            all.countDown();
        });
        List<Flow> closed = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            closed.add(flow(10_000 + i));
            server.onFlowClosed(closed.getLast());
        }
        allQueued.countDown();

        assertTrue(all.await(5, TimeUnit.SECONDS), "every close told");
        assertEquals(1, mostConcurrent.get(), "one listener call at a time");
        synchronized (told) {
            assertEquals(closed, told, "in close order");
        }
        assertTrue(threads.size() < flows / 10, "not a thread per closed flow: " + threads.size());
    }

    @Test
    void nothingIsToldOnceTheServerStops() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        server.onFlowClosed(f -> {
            calls.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopHandlers interrupts it: return
            }
        });
        server.onFlowClosed(flow(1));
        server.onFlowClosed(flow(2)); // queued behind the first, which blocks
        assertTrue(entered.await(5, TimeUnit.SECONDS));

        server.stopHandlers(Duration.ofSeconds(5)); // interrupts the listener and waits for its thread
        server.onFlowClosed(flow(3));
        release.countDown();

        assertEquals(1, calls.get(), "the queued close and the one after stop are not told");
    }
}
