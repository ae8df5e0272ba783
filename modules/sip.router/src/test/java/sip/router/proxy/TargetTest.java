package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.registrar.Binding;
import sip.transport.spi.Flow;

/** Which registered contacts are reached over the flow their REGISTER came on. */
class TargetTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress PHONE = new InetSocketAddress("127.0.0.1", 40000);

    private static Binding binding(String contact, String protocol) {
        return binding(NameAddress.of(SipUri.parse(contact)), protocol);
    }

    private static Binding binding(NameAddress contact, String protocol) {
        Instant now = Instant.EPOCH;
        return new Binding(contact, now.plusSeconds(3600), 1.0, "call-1", 1, List.of(),
                new Flow(protocol, PROXY, PHONE), now);
    }

    @Test
    void aDatagramRegistrationIsReachedAtItsContact() {
        // A third-party registration, or a phone sending from a port it does not listen on.
        Target t = Target.of(binding("sip:bob@127.0.0.1:5091", "udp"));
        assertEquals(SipUri.parse("sip:bob@127.0.0.1:5091"), t.uri());
        assertNull(t.flow(), "no Outbound, no .invalid host: RFC 3261 §10 routing to the Contact");
    }

    @Test
    void aConnectionIsReusedWhateverTheContactSays() {
        Binding b = binding("sip:bob@127.0.0.1:5091;transport=tcp", "tcp");
        assertEquals(b.flow(), Target.of(b).flow());
    }

    @Test
    void outboundAndInvalidHostsUseTheFlowEvenOverDatagrams() {
        Binding ob = binding("sip:bob@127.0.0.1:5091;ob", "udp");
        assertEquals(ob.flow(), Target.of(ob).flow());
        Binding regId = binding(NameAddress.of(SipUri.parse("sip:bob@127.0.0.1:5091")).withParameter("reg-id", "1"), "udp");
        assertEquals(regId.flow(), Target.of(regId).flow());
        Binding webrtc = binding("sip:x7k2@df7jal23ls0d.invalid;transport=ws", "udp");
        assertEquals(webrtc.flow(), Target.of(webrtc).flow());
    }
}
