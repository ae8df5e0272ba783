package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import sip.message.SipRequest;
import sip.message.Via;

class ReceivedStampTest {

    private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.7", 5062);

    private static SipRequest request(String via) {
        return (SipRequest) Fixtures.parse("""
                OPTIONS sip:bob@example.com SIP/2.0
                Via: %s
                Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKlower
                From: <sip:alice@example.com>;tag=1
                To: <sip:bob@example.com>
                Call-ID: stamp@test
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(via));
    }

    @Test
    void sameHostWithoutRportKeepsTheVeryRequest() {
        SipRequest r = request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa");
        assertSame(r, ReceivedStamp.apply(r, SOURCE));
    }

    @Test
    void receivedAlreadyRightAndRportFilledKeepTheRequest() {
        SipRequest r = request("SIP/2.0/UDP host.example.com;branch=z9hG4bKa;received=192.0.2.7");
        assertSame(r, ReceivedStamp.apply(r, SOURCE));
    }

    @Test
    void differentHostGetsReceivedOnly() {
        SipRequest r = ReceivedStamp.apply(request("SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKa"), SOURCE);
        Via top = r.topVia();
        assertEquals("192.0.2.7", top.received());
        assertEquals(false, top.hasRport());
        assertEquals("SIP/2.0/UDP proxy.example.com;branch=z9hG4bKlower", r.headerValues(sip.message.StandardHeader.VIA).get(1));
    }

    @Test
    void aDomainNameAlwaysDiffers() {
        Via top = ReceivedStamp.apply(request("SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa"), SOURCE).topVia();
        assertEquals("192.0.2.7", top.received());
    }

    @Test
    void emptyRportGetsTheSourcePortAndReceivedEvenFromTheSameHost() {
        Via top = ReceivedStamp.apply(request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa;rport"), SOURCE).topVia();
        assertEquals(5062, top.rport().getAsInt());
        assertEquals("192.0.2.7", top.received());
        assertEquals("z9hG4bKa", top.branch());
    }

    @Test
    void aSenderSuppliedRportValueAndReceivedAreReplacedWithTheSource() {
        // The reflection attack: a forged received/rport would aim every response and resend elsewhere.
        Via top = ReceivedStamp.apply(request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa;received=10.9.8.7;rport=6666"),
                SOURCE).topVia();
        assertEquals("192.0.2.7", top.received());
        assertEquals(5062, top.rport().getAsInt());
        assertEquals("z9hG4bKa", top.branch());
        Via onlyRport = ReceivedStamp.apply(request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa;rport=7000"), SOURCE).topVia();
        assertEquals(5062, onlyRport.rport().getAsInt());
        assertEquals("192.0.2.7", onlyRport.received());
    }

    @Test
    void aForgedReceivedWithoutRportIsRemovedWhenTheHostIsTheSourceAndReplacedWhenNot() {
        Via same = ReceivedStamp.apply(request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa;received=10.9.8.7"), SOURCE).topVia();
        assertNull(same.received());
        assertEquals("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa", same.toString());
        Via other = ReceivedStamp.apply(request("SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKa;received=10.9.8.7"), SOURCE).topVia();
        assertEquals("192.0.2.7", other.received());
    }

    @Test
    void aViaAlreadyStampedWithTheSourceKeepsTheVeryRequest() {
        SipRequest r = request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa;rport=5062;received=192.0.2.7");
        assertSame(r, ReceivedStamp.apply(r, SOURCE));
        SipRequest sameHostRightReceived = request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKa;received=192.0.2.7");
        assertSame(sameHostRightReceived, ReceivedStamp.apply(sameHostRightReceived, SOURCE));
    }

    @Test
    void ipv6SentByIsComparedAsAnAddressNotAsText() {
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::1", 5060);
        Via same = Via.of("UDP", "[2001:DB8:0::1]", 5060, "z9hG4bKa");
        assertSame(same, ReceivedStamp.apply(same, v6));
        Via other = ReceivedStamp.apply(Via.of("UDP", "[2001:db8::2]", 5060, "z9hG4bKa"), v6);
        assertEquals("2001:db8::1", other.received(), "RFC 5952 short form");
        assertNull(Via.of("UDP", "[2001:db8::1]", 5060, "z9hG4bKa").received());
    }
}
