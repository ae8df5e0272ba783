package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;

class LocalIdentityTest {

    private record FakeListener(Protocol protocol, InetSocketAddress localAddress) implements Listener {
        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final List<Listener> listeners = new ArrayList<>();

    @Test
    void withoutListenersItIsLoopbackWithoutPort() {
        LocalIdentity id = new LocalIdentity(null, null, () -> listeners);
        assertEquals(NameAddress.of(SipUri.parse("sip:parley@127.0.0.1")), id.identity());
    }

    @Test
    void followsTheFirstListenerAsListenersOpen() {
        LocalIdentity id = new LocalIdentity(null, null, () -> listeners);
        listeners.add(new FakeListener(Protocol.TCP, new InetSocketAddress("::1", 5070)));
        listeners.add(new FakeListener(Protocol.UDP, new InetSocketAddress("127.0.0.1", 5060)));
        assertEquals("<sip:parley@[::1]:5070>", id.identity().toString());
    }

    @Test
    void theFirstListenerWithAConcreteAddressNamesTheHostElseLoopback() {
        LocalIdentity id = new LocalIdentity(null, null, () -> listeners);
        listeners.add(new FakeListener(Protocol.UDP, new InetSocketAddress("0.0.0.0", 5060)));
        assertEquals("<sip:parley@127.0.0.1>", id.identity().toString(), "no getLocalHost() (127.0.1.1 on Debian)");
        listeners.add(new FakeListener(Protocol.TCP, new InetSocketAddress("192.0.2.5", 5070)));
        assertEquals("<sip:parley@192.0.2.5:5070>", id.identity().toString());
    }

    @Test
    void hostNameWinsOverTheListenerAddressButKeepsItsPort() {
        listeners.add(new FakeListener(Protocol.UDP, new InetSocketAddress("127.0.0.1", 5062)));
        LocalIdentity id = new LocalIdentity(null, "pbx.example.com", () -> listeners);
        assertEquals("<sip:parley@pbx.example.com:5062>", id.identity().toString());
    }

    @Test
    void aConfiguredIdentityIsKept() {
        listeners.add(new FakeListener(Protocol.UDP, new InetSocketAddress("127.0.0.1", 5062)));
        NameAddress alice = NameAddress.of("Alice", SipUri.parse("sip:alice@example.com"));
        LocalIdentity id = new LocalIdentity(alice, null, () -> listeners);
        assertEquals(alice, id.identity());
        assertEquals("example.com", id.host());
    }

    @Test
    void anIpv6WildcardListenerMakesTheIdentityIpv6Loopback() {
        listeners.add(new FakeListener(Protocol.UDP, new InetSocketAddress("::", 5060)));
        LocalIdentity id = new LocalIdentity(null, null, () -> listeners);
        assertEquals("<sip:parley@[::1]>", id.identity().toString());
    }

    @Test
    void aWildcardListenerIsNotUsedAsAHost() {
        listeners.add(new FakeListener(Protocol.UDP, new InetSocketAddress("0.0.0.0", 5060)));
        LocalIdentity id = new LocalIdentity(null, null, () -> listeners);
        String host = ((SipUri) id.identity().uri()).host();
        assertFalse(host.equals("0.0.0.0"), host);
    }

    @Test
    void ipv6LiteralsAreShortAndBracketed() throws Exception {
        for (String[] c : new String[][] {{"::1", "[::1]"}, {"2001:db8:0:0:1:0:0:1", "[2001:db8::1:0:0:1]"},
            {"2001:db8::", "[2001:db8::]"}, {"fe80::1%1", "[fe80::1]"}, {"1:2:3:4:5:6:7:8", "[1:2:3:4:5:6:7:8]"},
            {"1:0:3:4:5:6:7:8", "[1:0:3:4:5:6:7:8]"}, {"::", "[::]"}, {"192.0.2.1", "192.0.2.1"}}) {
            assertEquals(c[1], LocalIdentity.literal(java.net.InetAddress.getByName(c[0])), c[0]);
        }
    }
}
