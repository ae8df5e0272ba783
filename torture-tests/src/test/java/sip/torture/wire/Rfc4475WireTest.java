package sip.torture.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.router.TransactionStats;
import sip.torture.wire.PlainUas.Handler;
import sip.torture.wire.PlainUas.Seen;
import sip.torture.wire.RawMessage.SentBy;
import sip.torture.wire.RawPeer.Arrival;
import sip.torture.wire.RawPeer.Exchange;
import sip.torture.wire.RawPeer.Transport;
import sip.torture.wire.WireExpectation.Answer;
import sip.torture.wire.WireExpectation.Result;
import sip.torture.wire.WireExpectation.Silence;

/**
 * RFC 4475 over the wire: a running {@link sip.router.UserAgent} on UDP and TCP gets each of the
 * 49 files byte-exact, over the transport its top Via names, from plain sockets; the answer (or
 * the silence) is checked against {@link Rfc4475WireExpectations}, then a well-formed OPTIONS
 * over the same transport must get 200, so no file leaves the server unable to serve. At the end
 * every transaction must have ended and the user agent must close.
 *
 * <p>Runs only inside the network namespace of the {@code wire} surefire execution (see
 * {@link NetworkNamespace}): the files name 192.0.2.x and example.com, which must never see a
 * packet. No file's response goes off the machine in fact: every UDP answer goes to
 * {@code received} = 127.0.0.1 (RFC 3261 §18.2.2) and none of the 49 Vias has a maddr; sends that
 * would leave the machine are tested in {@link UnreachableViaTest}. Here every file must leave
 * {@code transportErrors} unchanged.
 *
 * <p>Time bounds: an answer must come within {@link #ANSWER}; silence means nothing within
 * {@link #SILENCE}, no more.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Rfc4475WireTest {
    static final Duration ANSWER = Duration.ofSeconds(2);
    static final Duration SILENCE = Duration.ofMillis(300);

    /**
     * Files whose outcome differs from the table because of an implementation bug (file → the
     * bug). Their case still runs: a failure is reported as skipped with this text, and a pass
     * fails, so the entry is removed once the bug is fixed. The server must keep serving after
     * these files too.
     */
    static final Map<String, String> KNOWN_IMPLEMENTATION_BUGS = Map.of();

    private static PlainUas uas;
    private static RawPeer peer;
    private static final Set<String> transactionKeysUsed = new HashSet<>();
    private static int probes;

    @BeforeAll
    static void start() throws IOException {
        NetworkNamespace.requireIsolated();
        uas = new PlainUas();
        peer = new RawPeer(uas.udp, uas.tcp, sentByPorts());
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.close();
        }
        if (uas != null) {
            uas.close();
        }
    }

    static List<WireCorpus.Row> rows() {
        return WireCorpus.manifest();
    }

    @Test
    @Order(0)
    void tableCoversTheManifestAndTheFolder() {
        List<WireCorpus.Row> manifest = WireCorpus.manifest();
        Set<String> inManifest = manifest.stream().map(WireCorpus.Row::file).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(manifest.size(), inManifest.size(), "a file listed twice in MANIFEST.tsv");
        assertEquals(WireCorpus.datFiles(), inManifest, "MANIFEST.tsv vs the folder");
        assertEquals(inManifest, new TreeSet<>(Rfc4475WireExpectations.TABLE.keySet()), "the table vs MANIFEST.tsv");
        assertEquals(49, inManifest.size());
        for (WireCorpus.Row row : manifest) {
            assertEquals(row.kind(), Rfc4475WireExpectations.TABLE.get(row.file()).kind(), row.file() + ": class");
        }
        assertTrue(inManifest.containsAll(KNOWN_IMPLEMENTATION_BUGS.keySet()), "known bugs name corpus files");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Order(1)
    void fileOverTheWire(WireCorpus.Row row) throws Exception {
        WireExpectation expected = Rfc4475WireExpectations.TABLE.get(row.file());
        assertNotNull(expected, "no expectation for " + row.file());
        byte[] bytes = row.bytes();
        RawMessage request = RawMessage.parse(bytes);
        Transport transport = transportFor(request);
        awaitIfTransactionKeyReused(request);

        TransactionStats before = uas.stats();
        int mark = uas.seenCount();
        AssertionError outcome = null;
        try (Exchange x = peer.open(transport)) {
            x.send(bytes);
            switch (expected.outcome()) {
                case Answer a -> answered(a, request, x, mark);
                case Silence s -> silent(s, request, x, mark, before);
            }
            TransactionStats after = uas.stats();
            assertEquals(before.transportErrors(), after.transportErrors(), "a send failed (transportErrors): " + after);
        } catch (AssertionError e) {
            outcome = e;
        }
        probe(transport); // whatever the file did, the server must still serve
        String bug = KNOWN_IMPLEMENTATION_BUGS.get(row.file());
        if (outcome != null && bug != null) {
            abort("known implementation bug: " + bug + " -- " + outcome.getMessage());
        } else if (outcome != null) {
            throw new AssertionError(row + ": " + expected.why() + " -- " + outcome.getMessage(), outcome);
        } else if (bug != null) {
            fail(row.file() + " now gets what the table expects: remove it from KNOWN_IMPLEMENTATION_BUGS (" + bug + ")");
        }
    }

    @Test
    @Order(2)
    void everyTransactionEndsAndTheUserAgentCloses() throws IOException {
        // Timer H, J and L are 64×T1 = 3.2 s; the last files' transactions end within that.
        TransactionStats s = uas.awaitStats(t -> t.liveTransactions() == 0, Duration.ofSeconds(10), "no live transactions");
        // dblreq.dat: the INVITE after the REGISTER's Content-Length is not a message (§18.3).
        assertTrue(uas.seenSince(0).stream().noneMatch(seen -> seen.request().callId().equals("dblreq.0ha0isnda977644900765@192.0.2.15")),
                "the bytes after dblreq's REGISTER were handled as an INVITE");
        assertEquals(0, s.transportErrors(), "no send failed during the whole run: " + s);
        assertTrue(s.serverCreated() > 0, "server transactions were made: " + s);
        // A hang guard, not a speed check: nothing is live, so close() has nothing to wait for,
        // and its grace period is 2 s at most.
        assertTimeoutPreemptively(Duration.ofSeconds(5), uas::close, "close() did not return");
        assertTrue(uas.ua.listeners().stream().noneMatch(l -> l.isOpen()), "a listener still open: " + uas.ua.listeners());
        assertThrows(ConnectException.class, () -> {
            try (Socket s2 = new Socket(uas.tcp.getAddress(), uas.tcp.getPort())) {
                s2.getOutputStream().write('\n');
            }
        }, "the TCP listener still accepts after close()");
    }

    private static void answered(Answer a, RawMessage request, Exchange x, int mark) throws Exception {
        List<Arrival> arrivals = x.awaitFinal(ours(request), ANSWER);
        Arrival last = arrivals.getLast();
        RawMessage response = last.message();
        assertEquals(a.status(), response.status(), "status: " + response.startLine());
        assertEquals(expectedSocket(request, x), last.socket(), "where the response went (RFC 3261 §18.2.2)");
        // §8.2.6.2, for stateless answers to malformed requests too: the request's CSeq, and a To
        // tag (the request's own, if it had one). A To with an unterminated quoted string
        // (quotbal) is copied as it came: no tag can be added to it, it would land inside the quotes.
        assertEquals(cseq(request), cseq(response), "CSeq copied");
        if (request.first("to").filter(Rfc4475WireTest::quotesBalanced).isPresent()) {
            assertTrue(response.toTag().isPresent(), "a final response carries a To tag (§8.2.6.2): " + response.first("to"));
            request.toTag().ifPresent(tag -> assertEquals(tag, response.toTag().orElseThrow(), "the request's To tag kept"));
        }
        if (request.method().equals("INVITE") && a.status() / 100 == 2) {
            ack(x, request, response);
        }
        List<Seen> seen = uas.seenSince(mark);
        if (a.handler() == Handler.NONE) {
            assertEquals(List.of(), seen, "no handler should have been called");
        } else {
            assertEquals(1, seen.size(), "handler calls: " + seen);
            assertEquals(a.handler(), seen.getFirst().handler(), "the handler called");
            assertEquals(request.first("call-id").orElseThrow(), seen.getFirst().request().callId(), "the request handled");
        }
        a.more().check(new Result(request, response, arrivals, seen));
    }

    private static void silent(Silence s, RawMessage message, Exchange x, int mark, TransactionStats before) throws Exception {
        assertEquals(List.of(), x.quietFor(ours(message), SILENCE), "answers to a message that must be dropped");
        assertEquals(List.of(), uas.seenSince(mark), "no handler should have been called");
        long expected = s.counter().of(before) + 1;
        uas.awaitStats(t -> s.counter().of(t) >= expected, ANSWER, s.counter() + " + 1");
        assertEquals(expected, s.counter().of(uas.stats()), s.counter() + " counted once");
    }

    /**
     * The ACK a UAC sends for a 2xx (RFC 3261 §13.2.2.4): a new transaction to the Contact, with
     * the response's From, To (with tag) and Call-ID; it must reach the ACK handler.
     */
    private static void ack(Exchange x, RawMessage request, RawMessage ok) throws Exception {
        String contact = ok.first("contact").orElse("<sip:wire-uas@127.0.0.1>");
        String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
        String cseq = ok.first("cseq").orElseThrow().strip().split("\\s+")[0];
        String callId = ok.first("call-id").orElseThrow();
        x.send("ACK " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + x.transport() + " 127.0.0.1:" + x.localPort() + ";branch=z9hG4bK-ack-" + System.nanoTime() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + ok.first("from").orElseThrow() + "\r\n"
                + "To: " + ok.first("to").orElseThrow() + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " ACK\r\n"
                + "Content-Length: 0\r\n\r\n");
        uas.ack(callId).get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A well-formed OPTIONS of this test's own over {@code transport}: the server must answer 200. */
    private static void probe(Transport transport) throws Exception {
        int n = ++probes;
        String callId = "probe-" + n + "@wire.test";
        try (Exchange x = peer.open(transport)) {
            x.send("OPTIONS sip:wire-uas@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + x.localPort() + ";branch=z9hG4bK-probe-" + n + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=probe" + n + "\r\n"
                    + "To: <sip:wire-uas@127.0.0.1>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n");
            Arrival answer = x.awaitFinal(m -> callId.equals(m.first("call-id").orElse(null)), ANSWER).getLast();
            assertEquals(200, answer.message().status(), "the server stopped serving: " + answer.message().startLine());
            assertEquals(transport == Transport.UDP ? "udp:source" : "tcp", answer.socket(), "rport honoured (RFC 3581 §4)");
            String via = answer.message().listValues("via").getFirst();
            assertTrue(via.contains("rport=" + x.localPort()), "rport filled in (RFC 3581 §4): " + via);
        }
    }

    /**
     * The transport the file's top Via names: TCP for TCP; UDP for everything else. The server
     * listens on UDP and TCP only, so a Via naming TLS, SCTP or UNKNOWN (bext01 names TLS) goes
     * over UDP, as would a message without a readable Via (none in the corpus). Responses follow
     * their Via too: a response comes back over the transport its request went out on, so
     * scalarlg (Via TCP) arrives over TCP, where it also tests that a dropped malformed response
     * leaves the stream usable.
     */
    static Transport transportFor(RawMessage m) {
        return m.topVia().filter(v -> v.transport().equals("TCP")).isPresent() ? Transport.TCP : Transport.UDP;
    }

    /**
     * Where RFC 3261 §18.2.2 sends the answer to this request: over TCP the same connection; over
     * UDP the source port with rport (RFC 3581 §4), else the sent-by port, else 5060, always at
     * the address in received (127.0.0.1, since the packet came from there).
     */
    static String expectedSocket(RawMessage request, Exchange x) {
        if (x.transport() == Transport.TCP) {
            return "tcp";
        }
        SentBy via = request.topVia().orElseThrow(() -> new AssertionError("no readable top Via"));
        return via.rport() ? "udp:source" : "udp:" + via.port().orElse(5060);
    }

    /**
     * The UDP ports the corpus's requests name as sent-by (5060 when they name none), and 5061,
     * the TLS default: bext01's Via names TLS without a port, and should a server pick that
     * transport's default port instead of 5060, the test reports where the answer went instead
     * of timing out.
     */
    static Set<Integer> sentByPorts() {
        Set<Integer> ports = new TreeSet<>(Set.of(5061));
        for (WireCorpus.Row row : WireCorpus.manifest()) {
            RawMessage m = RawMessage.parse(row.bytes());
            if (!m.isResponse() && transportFor(m) == Transport.UDP) {
                m.topVia().filter(v -> !v.rport()).ifPresent(v -> ports.add(v.port().orElse(5060)));
            }
        }
        return ports;
    }

    /** False for a value with an unterminated quoted string (escaped quotes aside). */
    static boolean quotesBalanced(String value) {
        return value.replace("\\\"", "").chars().filter(c -> c == '"').count() % 2 == 0;
    }

    /** A CSeq value as number and method, whatever the whitespace or leading zeros ("0009\r\n INVITE"). */
    static String cseq(RawMessage m) {
        String[] parts = m.first("cseq").orElse("").strip().split("\\s+");
        if (parts.length != 2 || !parts[0].matches("\\d+")) {
            return String.join(" ", parts);
        }
        return new java.math.BigInteger(parts[0]) + " " + parts[1];
    }

    /** An answer belongs to a file when it carries one of the file's Call-IDs (or its CSeq, when it has none). */
    static Predicate<RawMessage> ours(RawMessage request) {
        List<String> callIds = request.values("call-id");
        String cseq = request.first("cseq").orElse("");
        return m -> callIds.isEmpty() ? m.first("cseq").orElse("").equals(cseq)
                : callIds.contains(m.first("call-id").orElse(""));
    }

    /**
     * Two files may name the same RFC 3261 transaction (cparam01 and cparam02 share branch,
     * sent-by and method): the second would rightly be absorbed as a retransmission of the first
     * (§17.2.3). The files were written to be sent separately, so the second waits until the
     * server has no live transactions (at most 64×T1 after the first).
     */
    private static void awaitIfTransactionKeyReused(RawMessage m) {
        if (m.isResponse()) {
            return;
        }
        m.topVia().filter(v -> v.branch().startsWith("z9hG4bK") && v.branch().length() > 7).ifPresent(v -> {
            String method = m.method().equals("ACK") ? "INVITE" : m.method();
            String key = v.branch() + "|" + v.host().toLowerCase(Locale.ROOT) + ":" + v.port().orElse(-1) + "|" + method;
            if (!transactionKeysUsed.add(key)) {
                uas.awaitStats(s -> s.serverTransactions() == 0, Duration.ofSeconds(10), "the earlier transaction " + key + " ended");
            }
        });
    }
}
