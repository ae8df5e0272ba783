package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCountersTest {

    @Test
    void aFreshSnapshotIsAllZero() {
        assertEquals(new TransportStats("tcp", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new TransportCounters(Protocol.TCP).snapshot());
    }

    @Test
    void everyCounterLandsInItsOwnField() {
        TransportCounters c = new TransportCounters(Protocol.UDP);
        c.sockets(1);
        c.sockets(1);
        c.sockets(1);
        c.sockets(-1);
        c.listeners(1);
        c.connections(3);
        c.connections(-1);
        for (int i = 0; i < 3; i++) {
            c.accepted();
        }
        for (int i = 0; i < 4; i++) {
            c.connected();
        }
        for (int i = 0; i < 5; i++) {
            c.refused();
        }
        for (int i = 0; i < 6; i++) {
            c.failed();
        }
        for (int i = 0; i < 7; i++) {
            c.timedOut();
        }
        for (int i = 0; i < 8; i++) {
            c.messageIn();
        }
        for (int i = 0; i < 9; i++) {
            c.messageOut();
        }
        c.bytesIn(100);
        c.bytesIn(1);
        c.bytesOut(200);
        for (int i = 0; i < 10; i++) {
            c.malformed();
        }
        for (int i = 0; i < 11; i++) {
            c.keepAlive();
        }
        for (int i = 0; i < 12; i++) {
            c.dropped();
        }
        for (int i = 0; i < 13; i++) {
            c.handlerError();
        }
        assertEquals(2, c.openConnections());
        assertEquals(new TransportStats("udp", 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 101, 200, 10, 11, 12, 13), c.snapshot());
    }

    @Test
    void liveCountsReturnToZeroAndTotalsStay() throws Exception {
        TransportCounters c = new TransportCounters(Protocol.TLS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    c.connections(1);
                    c.sockets(1);
                    c.accepted();
                    c.sockets(-1);
                    c.connections(-1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        TransportStats s = c.snapshot();
        assertEquals(0, s.connections());
        assertEquals(0, s.sockets());
        assertEquals(8000, s.accepted());
        assertEquals("tls", s.protocol());
    }
}
