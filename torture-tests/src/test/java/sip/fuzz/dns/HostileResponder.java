package sip.fuzz.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A DNS server on 127.0.0.1 that answers every query with whatever {@link Answers} it is told to
 * serve: UDP on a free port, and TCP on the same port number when that is free too (dnsjava asks
 * again over TCP when a UDP answer has TC set). Each datagram the {@code Answers} return is sent
 * back as it is, so an answer can be any bytes at all. One responder serves a whole test class;
 * {@link #serve} swaps what it answers between inputs.
 *
 * <p>Its own threads are virtual; a failure in an {@code Answers} (a bug of the test, not of the
 * locator) is kept for {@link #failure()} rather than lost.
 */
final class HostileResponder implements AutoCloseable {

    /** What the server sends back for a query; an empty list is silence. */
    interface Answers {
        List<byte[]> udp(DnsWire.Query query);

        /** One answer over TCP, or null to close the connection instead. */
        byte[] tcp(DnsWire.Query query);
    }

    static final Answers SILENT = new Answers() {
        @Override
        public List<byte[]> udp(DnsWire.Query query) {
            return List.of();
        }

        @Override
        public byte[] tcp(DnsWire.Query query) {
            return null;
        }
    };

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Answers answers = SILENT;
    private volatile boolean closed;

    private HostileResponder(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    static HostileResponder start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
        ServerSocket tcp;
        try {
            tcp = new ServerSocket(udp.getLocalPort(), 16, loopback);
        } catch (IOException taken) {
            tcp = null;   // someone else's TCP port: dnsjava's TCP retry then fails, also a case
        }
        HostileResponder r = new HostileResponder(udp, tcp);
        Thread.ofVirtual().name("hostile-dns-udp").start(r::serveUdp);
        if (tcp != null) {
            Thread.ofVirtual().name("hostile-dns-tcp").start(r::acceptTcp);
        }
        return r;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    /** From now on, answer with {@code a}. */
    void serve(Answers a) {
        answers = a;
    }

    /** Queries received so far, over UDP and TCP. */
    long queries() {
        return queries.get();
    }

    /** The first exception an {@link Answers} threw, or null. */
    Throwable failure() {
        return failure.get();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(in);
            } catch (IOException e) {
                continue;   // closed, or a stray ICMP error: the loop condition decides
            }
            queries.incrementAndGet();
            DnsWire.Query q = DnsWire.parseQuery(in.getData(), in.getLength());
            if (q == null) {
                continue;
            }
            try {
                for (byte[] out : answers.udp(q)) {
                    int n = Math.min(out.length, 65507);   // the largest UDP payload over IPv4
                    udp.send(new DatagramPacket(out, n, in.getSocketAddress()));
                }
            } catch (IOException e) {
                // the client went away: nothing to answer
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().name("hostile-dns-tcp-conn").start(() -> serveTcp(s));
            } catch (IOException e) {
                // closed: the loop condition decides
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s) {
            s.setSoTimeout(3000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (!closed) {
                int length = in.readUnsignedShort();
                byte[] query = in.readNBytes(length);
                queries.incrementAndGet();
                DnsWire.Query q = DnsWire.parseQuery(query, query.length);
                byte[] answer = q == null ? null : answers.tcp(q);
                if (answer == null) {
                    return;
                }
                int n = Math.min(answer.length, 65535);
                out.writeShort(n);
                out.write(answer, 0, n);
                out.flush();
            }
        } catch (SocketException | java.io.EOFException | java.net.SocketTimeoutException e) {
            // the client closed or went quiet
        } catch (IOException e) {
            // likewise
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
