package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring under the receive path: first in, first out, and the oldest gives way when full. */
class DatagramQueueTest {

    @Test
    void takesInArrivalOrder() throws Exception {
        DatagramQueue q = new DatagramQueue(3);
        assertFalse(q.put(null, new byte[] {1}));
        assertFalse(q.put(null, new byte[] {2}));
        DatagramQueue.Entry e = new DatagramQueue.Entry();
        assertTrue(q.take(e));
        assertArrayEquals(new byte[] {1}, e.datagram);
        assertFalse(q.put(null, new byte[] {3}));
        assertFalse(q.put(null, new byte[] {4}));
        assertEquals(3, q.size());
        for (byte expected = 2; expected <= 4; expected++) {
            assertTrue(q.take(e));
            assertArrayEquals(new byte[] {expected}, e.datagram);
        }
        assertEquals(0, q.size());
    }

    @Test
    void whenFullTheOldestIsDroppedAndTheNewestKept() throws Exception {
        DatagramQueue q = new DatagramQueue(4);
        int dropped = 0;
        for (byte i = 1; i <= 10; i++) {
            if (q.put(null, new byte[] {i})) {
                dropped++;
            }
        }
        assertEquals(6, dropped);
        DatagramQueue.Entry e = new DatagramQueue.Entry();
        for (byte expected = 7; expected <= 10; expected++) {
            assertTrue(q.take(e));
            assertArrayEquals(new byte[] {expected}, e.datagram);
        }
        assertEquals(0, q.size());
    }

    @Test
    void closeWakesAWaitingWorkerAndDiscardsWhatIsQueued() throws Exception {
        DatagramQueue q = new DatagramQueue(2);
        CompletableFuture<Boolean> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take(new DatagramQueue.Entry());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        q.close();
        assertFalse(taken.get(5, TimeUnit.SECONDS));
        assertFalse(q.put(null, new byte[] {1}));
        assertEquals(0, q.size());
        assertFalse(q.take(new DatagramQueue.Entry()));
    }
}
