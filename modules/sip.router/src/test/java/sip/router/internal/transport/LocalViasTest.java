package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Via;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Connection;
import sip.transport.spi.Transport;
import sip.transport.spi.Transports;

/** Branches (RFC 3261 §8.1.1.7) and the sent-by values a response must carry (§18.1.2). */
@Timeout(30)
class LocalViasTest {

    static {
        Fixtures.readLoopbackModule();
    }

    @Test
    void branchesAreTheCookieThen96RandomBitsAndNeverRepeatAcrossThreads() throws Exception {
        LocalVias vias = new LocalVias(null);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int threads = 32;
        int each = 2_000; // over many DRBG blocks per stripe, and every stripe shared by threads
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(executor.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String b = vias.newBranch();
                        assertTrue(b.startsWith(Via.MAGIC_COOKIE), b);
                        assertEquals(12, Base64.getUrlDecoder().decode(b.substring(Via.MAGIC_COOKIE.length())).length, b);
                        assertTrue(seen.add(b), "repeated: " + b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(threads * each, seen.size());
    }

    @Test
    void aStampedSentByIsOwnInAnyCaseAndNothingElseIs() throws Exception {
        LocalVias vias = new LocalVias(null);
        vias.stamp("UDP", "Proxy.Example.COM", 5070, true);
        vias.stamp("UDP", "proxy.example.com", 5070, true);
        try (LoopbackNetwork network = LoopbackNetwork.newBuilder().manualDelivery().build();
                Transport mem = Transports.open("mem", network.transportConfig().build(), (c, m) -> { })) {
            // An arrival whose local port matches nothing, so only the remembered sent-bys count.
            mem.listen(new InetSocketAddress("10.0.0.9", 9999));
            Connection arrival = mem.connect(new InetSocketAddress("10.0.0.8", 5060));
            assertTrue(vias.isOwn(Via.of("UDP", "PROXY.example.com", 5070, "z9hG4bKa"), arrival));
            assertFalse(vias.isOwn(Via.of("UDP", "proxy.example.com", 5071, "z9hG4bKa"), arrival));
            assertFalse(vias.isOwn(Via.of("UDP", "proxy.example.org", 5070, "z9hG4bKa"), arrival));
            vias.stamp("UDP", "10.0.0.7", 5080, false);
            assertFalse(vias.isOwn(Via.of("UDP", "10.0.0.7", 5080, "z9hG4bKa"), arrival), "an ephemeral sent-by is not remembered");
        }
    }
}
