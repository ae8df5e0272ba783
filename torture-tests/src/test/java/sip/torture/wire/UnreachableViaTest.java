package sip.torture.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.router.TransactionStats;
import sip.torture.wire.RawPeer.Exchange;
import sip.torture.wire.RawPeer.Transport;

/**
 * A response whose Via sends it off the machine: RFC 3261 §18.2.2 sends it to the Via's maddr,
 * here a TEST-NET-1 address (unreachable in the namespace) or a name that cannot resolve. None
 * of the 49 RFC 4475 files does this (their UDP answers all go to received = 127.0.0.1), so this
 * test makes the case itself: the send must fail, be counted in {@code transportErrors}, stay
 * silent towards the client, and leave the server serving.
 */
class UnreachableViaTest {
    private PlainUas uas;
    private RawPeer peer;

    @BeforeEach
    void start() throws IOException {
        NetworkNamespace.requireIsolated();
        uas = new PlainUas();
        peer = new RawPeer(uas.udp, uas.tcp, Set.of());
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (uas != null) {
            uas.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "nowhere.example.com"})
    void answerToAViaMaddrOffTheMachineFailsAndIsCounted(String maddr) throws Exception {
        TransactionStats before = uas.stats();
        String callId = "maddr-" + maddr + "@wire.test";
        try (Exchange x = peer.open(Transport.UDP)) {
            x.send(options(x.localPort(), callId, ";maddr=" + maddr, "1"));
            assertEquals(List.of(), x.quietFor(m -> callId.equals(m.first("call-id").orElse(null)), Rfc4475WireTest.SILENCE),
                    "the answer must go to the maddr, which cannot be reached, not back here");
        }
        uas.awaitStats(s -> s.transportErrors() > before.transportErrors(), Duration.ofSeconds(2), "transportErrors + 1");
        assertEquals(before.transportErrors() + 1, uas.stats().transportErrors(), "counted once");

        String probeId = "after-" + maddr + "@wire.test";
        try (Exchange x = peer.open(Transport.UDP)) {
            x.send(options(x.localPort(), probeId, "", "2"));
            var answer = x.awaitFinal(m -> probeId.equals(m.first("call-id").orElse(null)), Rfc4475WireTest.ANSWER).getLast();
            assertEquals(200, answer.message().status(), "the server still serves");
        }
    }

    private static String options(int port, String callId, String viaParams, String n) {
        return "OPTIONS sip:wire-uas@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-unreachable-" + n + "-" + callId.hashCode() + viaParams + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=u" + n + "\r\n"
                + "To: <sip:wire-uas@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
