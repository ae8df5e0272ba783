package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.transport.spi.Flow;
import sip.message.ContentType;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/** The automatic Contact: from the Via sent-by for requests, from the arrival listener for responses. */
@Timeout(30)
class ContactTest {

    private static SipRequest invite(String uri) {
        return Fixtures.options(uri).toBuilder().method(Method.INVITE).cseq(1).build();
    }

    private static SipUri contactOf(SipRequest r) {
        List<Contact> contacts = r.contacts();
        assertEquals(1, contacts.size(), "one Contact: " + r);
        return (SipUri) contacts.getFirst().uri();
    }

    private static void assertAgreesWithVia(SipRequest r, SipUri contact) {
        Via via = r.topVia();
        assertEquals(via.host(), contact.host());
        assertEquals(via.port(), contact.port());
    }

    @Test
    void inviteGetsAContactWithTheViaSentByAndItsTransport() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipRequest out = rig.layer.prepare(invite("sip:bob@10.0.0.2;transport=mem"), null).request();
            assertEquals("sip:parley@10.0.0.1:5060;transport=mem", contactOf(out).toString());
            assertAgreesWithVia(out, contactOf(out));
            SipRequest stream = rig.layer.prepare(invite("sip:bob@10.0.0.2;transport=mem-stream"), null).request();
            assertEquals("sip:parley@10.0.0.1:5060;transport=mem-stream", contactOf(stream).toString());
        }
    }

    @Test
    void aContactOfTheUsersAndOneOnARequestThatCreatesNoDialogAreLeftAlone() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipUri mine = SipUri.parse("sip:me@192.0.2.7:5999");
            SipRequest own = rig.layer.prepare(invite("sip:bob@10.0.0.2;transport=mem").toBuilder()
                    .contact(Contact.of(mine)).build(), null).request();
            assertEquals(mine, contactOf(own));
            SipRequest options = rig.layer.prepare(Fixtures.options("sip:bob@10.0.0.2;transport=mem"), null).request();
            assertTrue(options.contacts().isEmpty());
        }
    }

    @Test
    void aSipsRequestGetsASipsContact() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipRequest out = rig.layer.prepare(invite("sips:bob@10.0.0.2"), Destination.of("mem", LoopbackRig.PEER))
                    .request();
            assertEquals("sips:parley@10.0.0.1:5060", contactOf(out).toString());
        }
    }

    @Test
    void aClientOnlyAgentNamesThePortItSentFrom() throws IOException {
        try (LoopbackRig rig = new LoopbackRig(null, ServerLocator.jdk(), false)) {
            OutboundRequest out = rig.layer.prepare(invite("sip:bob@10.0.0.2;transport=mem"), null);
            SipUri contact = contactOf(out.request());
            assertAgreesWithVia(out.request(), contact);
            assertEquals(out.connection().localAddress().getPort(), contact.port());
            assertTrue(contact.port() > 0, contact.toString());
        }
    }

    @Test
    void aResponseContactReplacesAWildcardListenerWithTheRouteToThePeerAndKeepsTheListenerPort()
            throws IOException {
        TransportLayer layer = new TransportLayer(Fixtures.settings(TransportConfig.defaults(), null,
                ServerLocator.jdk()), new RecordingSink(), new sip.router.internal.Counters());
        try {
            Listener udp = layer.listen("udp", new InetSocketAddress("0.0.0.0", 0));
            Listener tcp = layer.listen("tcp", new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5999);
            SipUri overUdp = layer.contactFor(new Flow("udp", udp.localAddress(), peer), false);
            assertEquals("sip:parley@127.0.0.1:" + udp.localAddress().getPort(), overUdp.toString());
            // A request that came in on a connection this agent opened: the listener's port, not the ephemeral one.
            SipUri overOutbound = layer.contactFor(new Flow("tcp", new InetSocketAddress("127.0.0.1", 40001), peer), true);
            assertEquals("sips:parley@127.0.0.1:" + tcp.localAddress().getPort(), overOutbound.toString());
            assertEquals(List.of(udp, tcp), layer.listeners(), "creation order");
        } finally {
            layer.close();
        }
    }

    @Test
    void aUdpOnlyAgentsRequestMovedToTcpOverTheMtuNamesItsUdpListenerNotTheEphemeralTcpPort()
            throws IOException {
        TransportConfig config = TransportConfig.defaults();
        TransportLayer layer = new TransportLayer(Fixtures.settings(config, null, ServerLocator.jdk()),
                new RecordingSink(), new sip.router.internal.Counters());
        Transport peer = Transports.open("tcp", config, (connection, message) -> { });
        try {
            Listener udp = layer.listen("udp", new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress at = peer.listen(new InetSocketAddress("127.0.0.1", 0)).localAddress();
            SipRequest big = invite("sip:bob@127.0.0.1:" + at.getPort()).toBuilder()
                    .body(ContentType.of("text", "plain"), new byte[2000]).build();
            OutboundRequest out = layer.prepare(big, Destination.of("udp", at));
            assertEquals("tcp", out.connection().protocol().name(), "moved to TCP over the MTU");
            assertEquals(out.connection().localAddress().getPort(), out.request().topVia().port());
            assertEquals("sip:parley@127.0.0.1:" + udp.localAddress().getPort(), contactOf(out.request()).toString());
        } finally {
            layer.close();
            peer.close();
        }
    }
}
