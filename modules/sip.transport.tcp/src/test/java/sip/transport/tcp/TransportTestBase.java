package sip.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;

/**
 * Opens transports and raw peers for a test and closes them after it, checking that every live
 * count of every transport is back at zero.
 */
abstract class TransportTestBase {

    static final InetSocketAddress ANY_V4 = new InetSocketAddress("127.0.0.1", 0);

    private final List<Transport> transports = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    Transport open(TransportConfig config, Recorder handler) throws IOException {
        return track(Transports.open("tcp", config, handler));
    }

    Transport open(Recorder handler) throws IOException {
        return open(TransportConfig.defaults(), handler);
    }

    <T extends Transport> T track(T transport) {
        transports.add(transport);
        return transport;
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    RawPeer raw(InetSocketAddress to) throws IOException {
        return closeLater(new RawPeer(to));
    }

    @AfterEach
    void closeAndCheckCounts() throws Exception {
        for (Transport t : transports) {
            t.close();
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
        for (Transport t : transports) {
            TransportStats s = t.stats();
            assertEquals(0, s.sockets(), () -> "sockets after close: " + s);
            assertEquals(0, s.connections(), () -> "connections after close: " + s);
            assertEquals(0, s.listeners(), () -> "listeners after close: " + s);
        }
    }

    /** Polls {@code condition} until it holds, for at most the recorder's wait. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Recorder.WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "not within " + Recorder.WAIT_MILLIS + " ms: " + what);
            LockSupport.parkNanos(2_000_000); // polling a count, not synchronising on an event

        }
    }

    static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
