package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerLocator;
import sip.transport.spi.Connection;
import sip.transport.spi.Listener;

/** Opening transports on demand, listeners, stopListening and close. */
class LifecycleTest {

    @Test
    void protocolsAreEveryProvidersAndListenersAreOpenedOnDemand() throws IOException {
        try (LoopbackRig rig = new LoopbackRig(null, ServerLocator.jdk(), false)) {
            assertTrue(rig.layer.protocols().containsAll(Set.of("udp", "tcp", "mem", "mem-stream")),
                    rig.layer.protocols().toString());
            assertEquals("udp", rig.layer.protocols().iterator().next());
            assertTrue(rig.layer.listeners().isEmpty());
            Listener mem = rig.layer.listen("MEM", LoopbackRig.LOCAL);
            assertEquals(LoopbackRig.LOCAL, mem.localAddress());
            assertEquals(java.util.List.of(mem), rig.layer.listeners());
        }
    }

    @Test
    void stopListeningClosesListenersButKeepsConnectionsForReplies() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
            c.send(Fixtures.wire("""
                    OPTIONS sip:bob@10.0.0.1 SIP/2.0
                    Via: SIP/2.0/MEM-STREAM 10.0.0.2:5060;branch=z9hG4bKlife
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>
                    Call-ID: life@test
                    CSeq: 1 OPTIONS
                    Max-Forwards: 70
                    Content-Length: 0

                    """));
            rig.network.deliverAll();
            RecordingSink.Received<SipRequest> request = rig.sink.requests.remove();
            java.util.List<Listener> listening = rig.layer.listeners();
            assertEquals(2, listening.size());
            rig.layer.stopListening();
            Listener stream = listening.stream().filter(l -> l.protocol().reliable()).findFirst().orElseThrow();
            assertFalse(stream.isOpen());
            assertEquals(java.util.List.of("mem"), rig.layer.listeners().stream().map(l -> l.protocol().name()).toList());
            assertTrue(request.connection().isOpen());
            rig.layer.sendResponse(SipResponse.forRequest(request.message(), 200), request.connection());
            assertEquals(200, ((SipResponse) rig.peerGotOne().message()).statusCode());
        }
    }

    @Test
    void afterStopListeningTheDatagramSocketStillReceivesAndAnswersOnTheSameSocket() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Listener datagram = rig.layer.listeners().stream().filter(l -> !l.protocol().reliable()).findFirst().orElseThrow();
            rig.layer.stopListening();
            assertTrue(datagram.isOpen(), "a datagram listener is the flow: ACKs, CANCELs and responses arrive on it");
            rig.peerSends(LoopbackRig.PEER, """
                    INVITE sip:bob@10.0.0.1 SIP/2.0
                    Via: SIP/2.0/MEM 10.0.0.2:5060;branch=z9hG4bKdrain;rport
                    From: <sip:alice@example.com>;tag=1
                    To: <sip:bob@example.com>
                    Call-ID: drain@test
                    CSeq: 1 INVITE
                    Max-Forwards: 70
                    Content-Length: 0

                    """);
            RecordingSink.Received<SipRequest> request = rig.sink.requests.remove();
            rig.layer.sendResponse(SipResponse.forRequest(request.message(), 503), request.connection());
            LoopbackRig.Arrival got = rig.peerGotOne();
            assertEquals(503, ((SipResponse) got.message()).statusCode());
            assertEquals(LoopbackRig.LOCAL, got.connection().remoteAddress(), "out of the listening socket");
            rig.layer.close();
            assertFalse(datagram.isOpen(), "close() closes it");
        }
    }

    @Test
    void afterCloseNothingOpensAgain() {
        try (LoopbackRig rig = new LoopbackRig()) {
            rig.layer.close();
            assertTrue(rig.layer.listeners().isEmpty());
            assertThrows(IOException.class, () -> rig.layer.listen("mem", LoopbackRig.LOCAL));
            assertThrows(IOException.class,
                    () -> rig.layer.prepare(Fixtures.options("sip:bob@10.0.0.2;transport=mem"), null));
            assertFalse(rig.layer.protocols().isEmpty(), "what could be used is still known");
        }
    }
}
