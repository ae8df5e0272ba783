package sip.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Dnsmasq} against the real binary, queried with hand-built DNS messages (sip.testkit must
 * not depend on a DNS library). These tests also pin the dnsmasq 2.90 behaviour its javadoc states.
 */
class DnsmasqTest {
    private static final int A = 1, SOA = 6, AAAA = 28, SRV = 33, NAPTR = 35;

    @BeforeAll
    static void needDnsmasq() {
        boolean required = "1".equals(System.getenv("PARLEY_REQUIRE_PEERS"));
        assumeTrue(required || Dnsmasq.isAvailable(), "dnsmasq not installed");
    }

    @Test
    void servesTheRecordsItWasGivenWithTheLocalTtl() throws IOException {
        try (Dnsmasq dns = Dnsmasq.builder()
                .domain("example.test")
                .naptr("example.test", 10, 50, "s", "SIP+D2T", "", "_sip._tcp.example.test")
                .srv("_sip._tcp.example.test", "sip1.example.test", 5070, 10, 60)
                .host("sip1.example.test", "127.0.0.1", "::1")
                .host("short.example.test", Duration.ofSeconds(7), "127.0.0.2")
                .ttl(Duration.ofSeconds(60))
                .start()) {
            assertEquals("127.0.0.1", dns.address().getAddress().getHostAddress());

            Reply a = ask(dns, "sip1.example.test", A);
            assertEquals(0, a.rcode());
            assertEquals(1, a.answers().size());
            assertArrayEquals(new byte[] {127, 0, 0, 1}, a.answers().getFirst().data());
            assertEquals(60, a.answers().getFirst().ttl());

            Reply aaaa = ask(dns, "sip1.example.test", AAAA);
            assertArrayEquals(InetAddress.getByName("::1").getAddress(), aaaa.answers().getFirst().data());

            Reply srv = ask(dns, "_sip._tcp.example.test", SRV);
            ByteBuffer rdata = ByteBuffer.wrap(srv.answers().getFirst().data());
            assertEquals(10, rdata.getShort());            // priority
            assertEquals(60, rdata.getShort());            // weight
            assertEquals(5070, rdata.getShort() & 0xffff); // port
            assertEquals(60, srv.answers().getFirst().ttl());
            // Outside authoritative mode the target's addresses ride along in the additional section.
            assertEquals(List.of(A, AAAA), srv.additional().stream().map(Rr::type).toList());

            Reply naptr = ask(dns, "example.test", NAPTR);
            assertEquals(NAPTR, naptr.answers().getFirst().type());
            assertEquals(60, naptr.answers().getFirst().ttl());

            assertEquals(7, ask(dns, "short.example.test", A).answers().getFirst().ttl());
        }
    }

    @Test
    void unknownNamesGetNxdomainWithoutSoaUnlessAuthoritative() throws IOException {
        try (Dnsmasq dns = Dnsmasq.builder().domain("example.test").host("h.example.test", "127.0.0.1")
                .ttl(Duration.ofSeconds(30)).start()) {
            Reply nx = ask(dns, "nope.example.test", A);
            assertEquals(3, nx.rcode());
            assertTrue(nx.authority().isEmpty(), "no SOA: " + nx);
            Reply nodata = ask(dns, "h.example.test", AAAA);
            assertEquals(0, nodata.rcode());
            assertTrue(nodata.answers().isEmpty() && nodata.authority().isEmpty(), nodata.toString());
        }
        try (Dnsmasq dns = Dnsmasq.builder().domain("example.test").host("h.example.test", "127.0.0.1")
                .ttl(Duration.ofSeconds(30)).authoritative().start()) {
            Reply nx = ask(dns, "nope.example.test", A);
            assertEquals(3, nx.rcode());
            Rr soa = nx.authority().getFirst();
            assertEquals(SOA, soa.type());
            assertEquals(30, soa.ttl());
            int minimum = ByteBuffer.wrap(soa.data(), soa.data().length - 4, 4).getInt();
            assertEquals(30, minimum);
            Reply nodata = ask(dns, "h.example.test", AAAA);
            assertEquals(0, nodata.rcode());
            assertEquals(SOA, nodata.authority().getFirst().type());
            assertEquals(30, ask(dns, "h.example.test", A).answers().getFirst().ttl());
        }
    }

    @Test
    void queryLogCountsEveryQueryAnsweredBeforeTheCall() throws IOException {
        try (Dnsmasq dns = Dnsmasq.builder().domain("example.test").host("h.example.test", "127.0.0.1").start()) {
            assertEquals(0, dns.queryCount("h.example.test", "A"));
            ask(dns, "h.example.test", A);
            ask(dns, "h.example.test", A);
            ask(dns, "h.example.test", AAAA);
            assertEquals(2, dns.queryCount("h.example.test", "A"));
            assertEquals(1, dns.queryCount("h.example.test.", "aaaa"));
            assertEquals(3, dns.queryLog().size(), dns.queryLog().toString());
            assertTrue(dns.queryLog().getFirst().startsWith("query[A] h.example.test from 127.0.0.1"));
        }
    }

    @Test
    void srvUnavailableIsTheDotTarget() throws IOException {
        try (Dnsmasq dns = Dnsmasq.builder().domain("example.test").srvUnavailable("_sip._udp.example.test").start()) {
            byte[] data = ask(dns, "_sip._udp.example.test", SRV).answers().getFirst().data();
            assertEquals(7, data.length);     // priority, weight, port, then the root name
            assertEquals(0, data[6]);
        }
    }

    @Test
    void closeEndsTheProcessAndFreesThePort() throws IOException {
        Dnsmasq dns = Dnsmasq.builder().domain("example.test").start();
        InetSocketAddress address = dns.address();
        dns.close();
        assertFalse(dns.isRunning());
        try (DatagramSocket socket = new DatagramSocket(address)) {
            assertEquals(address.getPort(), socket.getLocalPort());
        }
        dns.close(); // idempotent
    }

    @Test
    void badInputIsRefusedBeforeStarting() {
        assertThrows(IllegalStateException.class, () -> Dnsmasq.builder().start());
        assertThrows(IllegalArgumentException.class, () -> Dnsmasq.builder().host("h.example.test", "not-an-ip"));
        assertThrows(IllegalArgumentException.class, () -> Dnsmasq.builder().srv("a,b", "t", 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Dnsmasq.builder().option("-x"));
    }

    @Test
    void aBadOptionFailsTheStartWithDnsmasqsMessage() {
        IOException e = assertThrows(IOException.class,
                () -> Dnsmasq.builder().domain("example.test").option("--no-such-option").start());
        assertTrue(e.getMessage().contains("--no-such-option"), e.getMessage());
    }

    // --- a minimal DNS client: enough to check what dnsmasq serves ---

    record Rr(int type, long ttl, byte[] data) {
        @Override
        public String toString() {
            return "Rr[" + type + " ttl=" + ttl + " " + Arrays.toString(data) + "]";
        }
    }

    record Reply(int rcode, List<Rr> answers, List<Rr> authority, List<Rr> additional) {
    }

    private static Reply ask(Dnsmasq dns, String name, int type) throws IOException {
        byte[] query = Dnsmasq.queryPacket(name, type);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(2000);
            socket.send(new DatagramPacket(query, query.length, dns.address()));
            byte[] buffer = new byte[4096];
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            socket.receive(p);
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, p.getLength());
            assertEquals(ByteBuffer.wrap(query).getShort(), b.getShort(), "id");
            int rcode = b.getShort() & 0xf;
            int qd = b.getShort(), an = b.getShort(), ns = b.getShort(), ar = b.getShort();
            for (int i = 0; i < qd; i++) {
                skipName(b);
                b.getInt();
            }
            return new Reply(rcode, records(b, an), records(b, ns), records(b, ar));
        }
    }

    private static List<Rr> records(ByteBuffer b, int count) {
        List<Rr> rrs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            skipName(b);
            int type = b.getShort() & 0xffff;
            b.getShort();
            long ttl = b.getInt() & 0xffffffffL;
            byte[] data = new byte[b.getShort() & 0xffff];
            b.get(data);
            rrs.add(new Rr(type, ttl, data));
        }
        return rrs;
    }

    private static void skipName(ByteBuffer b) {
        while (true) {
            int len = b.get() & 0xff;
            if (len == 0) {
                return;
            }
            if ((len & 0xc0) == 0xc0) {
                b.get();
                return;
            }
            b.position(b.position() + len);
        }
    }
}
