package sip.torture.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other end of the wire: plain JDK sockets on 127.0.0.1, not Parley's client, so the bytes
 * the server gets are exactly the file's. UDP goes out of one ephemeral "source" socket; UDP
 * answers may come back to it (rport) or to a socket bound to the port the request's Via names
 * (RFC 3261 §18.2.2: received + sent-by port, 5060 when the Via names none), so one socket is
 * bound on each such port. Inside the test's network namespace nothing else holds them. TCP gets
 * a new connection per exchange; answers come back on it.
 *
 * <p>Everything received is queued with the name of the socket it arrived on. Readers are
 * virtual threads doing blocking reads; {@link #close()} ends them by closing the sockets.
 */
final class RawPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RawPeer.class);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A message received on {@code socket} (e.g. {@code "udp:5060"}, {@code "udp:source"}, {@code "tcp"}). */
    record Arrival(String socket, RawMessage message) {}

    enum Transport { UDP, TCP }

    private final InetSocketAddress udpServer;
    private final InetSocketAddress tcpServer;
    private final DatagramSocket source;
    private final Map<Integer, DatagramSocket> sentBy = new LinkedHashMap<>();
    private final BlockingQueue<Arrival> udpArrivals = new LinkedBlockingQueue<>();

    RawPeer(InetSocketAddress udpServer, InetSocketAddress tcpServer, Set<Integer> sentByPorts) throws IOException {
        this.udpServer = udpServer;
        this.tcpServer = tcpServer;
        this.source = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        read(source, "udp:source");
        for (int port : sentByPorts) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
            sentBy.put(port, s);
            read(s, "udp:" + port);
        }
    }

    int sourcePort() {
        return source.getLocalPort();
    }

    /** A new exchange: over UDP from the source socket, over TCP on a new connection. */
    Exchange open(Transport transport) throws IOException {
        return transport == Transport.UDP ? new Exchange(null, udpArrivals) : tcp();
    }

    private Exchange tcp() throws IOException {
        Socket s = new Socket();
        s.connect(tcpServer, 2_000);
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        Thread.ofVirtual().name("raw-peer-tcp-" + s.getLocalPort()).start(() -> readStream(s, arrivals));
        return new Exchange(s, arrivals);
    }

    private void read(DatagramSocket s, String name) {
        Thread.ofVirtual().name("raw-peer-" + name).start(() -> {
            byte[] buf = new byte[65_536];
            while (!s.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (IOException closed) {
                    return;
                }
                udpArrivals.add(new Arrival(name, RawMessage.parse(Arrays.copyOf(p.getData(), p.getLength()))));
            }
        });
    }

    /**
     * Frames messages off a stream by Content-Length until the server closes it (it may, after a
     * malformed request) or this side does. The socket is left open at EOF: closing it here would
     * race with a send still in progress; {@link Exchange#close()} closes it.
     */
    private static void readStream(Socket s, BlockingQueue<Arrival> arrivals) {
        try {
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                RawMessage m = RawMessage.parse(head);
                int length = m.first("content-length").map(String::strip).map(Integer::parseInt).orElse(0);
                byte[] body = in.readNBytes(length);
                byte[] whole = Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, whole, head.length, body.length);
                arrivals.add(new Arrival("tcp", RawMessage.parse(whole)));
            }
        } catch (SocketException closed) {
            // this side closed the exchange, or the server reset it
        } catch (IOException e) {
            log.warn("TCP read from the server failed", e);
        }
    }

    /** Bytes up to and including CRLFCRLF (leading CRLF keep-alives skipped), or null at EOF. */
    private static byte[] readHead(InputStream in) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        int last4 = 0; // the last four bytes read, oldest in the high byte
        int b;
        while ((b = in.read()) >= 0) {
            if (out.size() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            out.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return out.toByteArray();
            }
        }
        return null;
    }

    @Override
    public void close() {
        source.close();
        sentBy.values().forEach(DatagramSocket::close);
    }

    /** One request's exchange with the server: send, then wait for its answers (or for none). */
    final class Exchange implements AutoCloseable {
        private final Socket tcp;
        private final BlockingQueue<Arrival> arrivals;

        private Exchange(Socket tcp, BlockingQueue<Arrival> arrivals) {
            this.tcp = tcp;
            this.arrivals = arrivals;
        }

        Transport transport() {
            return tcp == null ? Transport.UDP : Transport.TCP;
        }

        /** The port the server sees these bytes come from. */
        int localPort() {
            return tcp == null ? source.getLocalPort() : tcp.getLocalPort();
        }

        void send(byte[] bytes) throws IOException {
            if (tcp == null) {
                source.send(new DatagramPacket(bytes, bytes.length, udpServer));
            } else {
                var out = tcp.getOutputStream();
                out.write(bytes);
                out.flush();
            }
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The answers that are {@code ours}, up to and including the first final one; fails if no
         * final one comes within {@code max}. Others are late retransmissions to earlier requests
         * (the peer never ACKs a non-2xx final over UDP) and are dropped.
         */
        List<Arrival> awaitFinal(Predicate<RawMessage> ours, Duration max) throws InterruptedException {
            List<Arrival> got = new ArrayList<>();
            long deadline = System.nanoTime() + max.toNanos();
            while (true) {
                Arrival a = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (a == null) {
                    throw new AssertionError("no final response within " + max.toMillis() + " ms; got " + got);
                }
                if (!ours.test(a.message())) {
                    log.debug("ignoring {} on {} (not this exchange's)", a.message(), a.socket());
                    continue;
                }
                got.add(a);
                if (a.message().isResponse() && a.message().status() >= 200) {
                    return got;
                }
            }
        }

        /**
         * What of ours arrives within {@code window}. Silence can only mean "nothing within the
         * window": a later answer is not seen.
         */
        List<Arrival> quietFor(Predicate<RawMessage> ours, Duration window) throws InterruptedException {
            List<Arrival> got = new ArrayList<>();
            long deadline = System.nanoTime() + window.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                Arrival a = arrivals.poll(left, TimeUnit.NANOSECONDS);
                if (a != null && ours.test(a.message())) {
                    got.add(a);
                }
            }
            return got;
        }

        @Override
        public void close() {
            if (tcp != null) {
                try {
                    tcp.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
