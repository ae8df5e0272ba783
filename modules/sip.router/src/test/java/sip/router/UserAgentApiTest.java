package sip.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.transport.spi.Listener;

/** The javadoc examples, compiled and run, and the small promises of {@link UserAgent}. */
@Timeout(30)
class UserAgentApiTest {

    private static final Logger log = LoggerFactory.getLogger(UserAgentApiTest.class);
    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void theClassExamplesRun() throws Exception {
        // UserAgent's example, on ephemeral ports, and with a short close so that the test does
        // not wait out the 5 s Timer K of the OPTIONS below
        try (UserAgent ua = UserAgent.newBuilder().name("parley-demo").closeTimeout(SHORT).build()) {
            ua.server().onInvite(tx -> tx.respond(486));
            ua.listen("udp", "127.0.0.1:0");
            ua.listen("tcp", "127.0.0.1:0");
            // Server's example
            ua.server()
                .onInvite(tx -> { tx.respond(180); tx.respond(200); })
                .onBye(tx -> tx.respond(200))
                .onAck((ack, flow) -> log.info("call up: {}", ack.callId()));
            int port = ua.listeners().getFirst().localAddress().getPort();
            // Client's example, to itself
            try (UserAgent caller = UserAgent.newBuilder().closeTimeout(SHORT).build()) {
                caller.listen("udp", "127.0.0.1:0");
                SipRequest options = caller.client().newRequest(Method.OPTIONS,
                        SipUri.parse("sip:bob@127.0.0.1:" + port)).build();
                SipResponse answer = caller.client().send(options);
                assertEquals(200, answer.statusCode());
            }
        }
    }

    @Test
    void listenOnAProtocolWithoutProviderThrowsNoTransportProvider() throws Exception {
        try (UserAgent ua = UserAgent.newBuilder().build()) {
            assertThrows(sip.transport.spi.NoTransportProviderException.class, () -> ua.listen("sctp", "127.0.0.1:0"));
        }
        UserAgent closed = UserAgent.newBuilder().build();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.listen("udp", "127.0.0.1:0"));
    }

    @Test
    void listenParsesHostPortText() throws Exception {
        try (UserAgent ua = UserAgent.newBuilder().build()) {
            Listener v4 = ua.listen("udp", "127.0.0.1:0");
            assertTrue(v4.localAddress().getPort() > 0, "an ephemeral port was bound");
            Listener named = ua.listen("tcp", "localhost:0");
            assertTrue(named.localAddress().getAddress().isLoopbackAddress());
            assertEquals(2, ua.listeners().size());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ua.listen("udp", "127.0.0.1"));
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ua.listen("udp", "::1:5060"));
        }
    }

    @Test
    void theDefaultIdentityFollowsTheFirstListener() throws Exception {
        try (UserAgent ua = UserAgent.newBuilder().build()) {
            assertEquals("sip:parley@127.0.0.1",
                    ua.client().newRequest(Method.OPTIONS, SipUri.parse("sip:x@127.0.0.1")).build().from().uri().toString());
            int port = ua.listen("udp", "127.0.0.1:0").localAddress().getPort();
            SipRequest r = ua.client().newRequest(Method.OPTIONS, SipUri.parse("sip:x@127.0.0.1")).build();
            assertEquals(SipUri.of("parley", "127.0.0.1", port), r.from().uri());
            assertTrue(r.callId().endsWith("@127.0.0.1"), r.callId());
        }
    }

    @Test
    void aConfiguredIdentityIsTheFrom() throws Exception {
        NameAddress alice = NameAddress.of("Alice", SipUri.parse("sip:alice@example.com"));
        try (UserAgent ua = UserAgent.newBuilder().identity(alice).build()) {
            NameAddress from = ua.client().newRequest(Method.OPTIONS, SipUri.parse("sip:x@127.0.0.1")).build().from();
            assertEquals(alice.uri(), from.uri());
            assertEquals("Alice", from.displayName());
            assertTrue(from.tag() != null);
        }
    }

    @Test
    void closeIsIdempotentAndClosesListeners() throws Exception {
        UserAgent ua = UserAgent.newBuilder().name("closer").closeTimeout(Duration.ofMillis(100)).build();
        Listener l = ua.listen("udp", "127.0.0.1:0");
        assertEquals("closer", ua.name());
        ua.close();
        ua.close();
        assertFalse(l.isOpen());
        assertThrows(IllegalStateException.class, () -> ua.listen("udp", "127.0.0.1:0"));
    }
}
