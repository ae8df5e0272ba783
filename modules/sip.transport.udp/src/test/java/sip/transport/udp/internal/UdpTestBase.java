package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;
import sip.transport.spi.Transports;

/**
 * Opens transports through the SPI and closes them after each test, checking that every socket
 * is given back.
 */
abstract class UdpTestBase {

    static final String V4 = "127.0.0.1";
    static final String V6 = "::1";

    private final List<Transport> opened = new ArrayList<>();

    Transport open(InboundHandler handler) throws IOException {
        return open(TransportConfig.defaults(), handler);
    }

    Transport open(TransportConfig config, InboundHandler handler) throws IOException {
        Transport t = Transports.open("udp", config, handler);
        opened.add(t);
        return t;
    }

    @AfterEach
    void closeEverything() {
        for (Transport t : opened) {
            t.close();
            TransportStats s = t.stats();
            assertEquals(0, s.sockets(), "sockets after close");
            assertEquals(0, s.listeners(), "listeners after close");
            assertEquals(0, s.connections(), "connections after close");
        }
    }

    /** An ephemeral port on {@code host}, skipping the test if that loopback is not there (::1). */
    static InetSocketAddress loopback(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (host.equals(V6)) {
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
                probe.bind(new InetSocketAddress(address, 0));
            } catch (IOException | UnsupportedOperationException e) {
                Assumptions.abort("IPv6 loopback unavailable: " + e);
            }
        }
        return new InetSocketAddress(address, 0);
    }

    /** Polls {@code condition} until it holds or {@code within} passes. */
    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + within + ": " + what);
            }
            LockSupport.parkNanos(1_000_000); // a poll interval, not a wait for the event itself
        }
    }
}
