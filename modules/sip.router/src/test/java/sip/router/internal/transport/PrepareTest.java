package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.message.Via;
import sip.router.Destination;
import sip.router.ServerLocator;

/** {@link TransportLayer#prepare}: targeting, locating, failover and the Via it stamps. */
class PrepareTest {

    private static final String TO_PEER = "sip:bob@10.0.0.2;transport=mem";

    @Test
    void stampsANewTopViaWithTheProtocolTokenTheListenerAsSentByAFreshBranchAndRport() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options(TO_PEER), null);
            Via via = out.request().topVia();
            assertEquals("SIP/2.0", via.protocol());
            assertEquals("MEM", via.transport());
            assertEquals("10.0.0.1", via.host());
            assertEquals(5060, via.port());
            assertTrue(via.branch().startsWith(Via.MAGIC_COOKIE), via.branch());
            assertTrue(via.branch().length() >= Via.MAGIC_COOKIE.length() + 16, via.branch());
            assertTrue(via.hasRport());
            assertTrue(via.rport().isEmpty(), "rport goes out without a value");
            assertEquals(Destination.of("mem", LoopbackRig.PEER), out.destination());
            assertEquals(LoopbackRig.PEER, out.connection().remoteAddress());
            assertArrayEquals(out.request().toBytes(), out.bytes());
        }
    }

    @Test
    void doesNotSendButSendDeliversExactlyTheBytes() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options(TO_PEER), null);
            rig.network.deliverAll();
            assertEquals(0, rig.network.stats().sent());
            rig.layer.send(out);
            assertArrayEquals(out.bytes(), rig.peerGotOne().message().toBytes());
        }
    }

    @Test
    void everyBranchIsNew() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            Set<String> branches = new HashSet<>();
            SipRequest request = Fixtures.options(TO_PEER);
            for (int i = 0; i < 500; i++) {
                assertTrue(branches.add(rig.layer.prepare(request, null).request().topVia().branch()));
            }
        }
        LocalVias vias = new LocalVias(null);
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String b = vias.newBranch();
            assertEquals(Via.MAGIC_COOKIE.length() + 16, b.length(), b); // 96 bits, base64url
            assertTrue(many.add(b));
        }
    }

    @Test
    void theConfiguredHostNameIsTheSentByHost() throws IOException {
        try (LoopbackRig rig = new LoopbackRig("sip.example.org", ServerLocator.jdk(), true)) {
            Via via = rig.layer.prepare(Fixtures.options(TO_PEER), null).request().topVia();
            assertEquals("sip.example.org", via.host());
            assertEquals(5060, via.port());
        }
    }

    @Test
    void withoutAListenerTheConnectionsOwnAddressIsTheSentBy() throws IOException {
        try (LoopbackRig rig = new LoopbackRig(null, ServerLocator.jdk(), false)) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options(TO_PEER), null);
            Via via = out.request().topVia();
            InetSocketAddress local = out.connection().localAddress();
            assertEquals(local.getAddress().getHostAddress(), via.host());
            assertEquals(local.getPort(), via.port());
        }
    }

    @Test
    void viasAlreadyThereStayAsTheyWere() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipRequest proxied = Fixtures.options(TO_PEER).toBuilder()
                    .addHeader(StandardHeader.VIA, "SIP/2.0/UDP  upstream.example.com:5070 ;branch=z9hG4bKup;received=192.0.2.1")
                    .addHeader(StandardHeader.VIA, "SIP/2.0/TCP client.example.com;branch=z9hG4bKclient, SIP/2.0/UDP x.example.com;branch=z9hG4bKx")
                    .build();
            SipRequest out = rig.layer.prepare(proxied, null).request();
            List<String> fields = out.headerValues(StandardHeader.VIA);
            assertEquals(3, fields.size());
            assertEquals(proxied.headerValues(StandardHeader.VIA), fields.subList(1, 3));
            assertEquals(4, out.vias().size());
        }
    }

    @Test
    void aLooseRouteIsTheTarget() throws IOException {
        List<SipUri> asked = new ArrayList<>();
        ServerLocator recording = (uri, protocols) -> {
            asked.add(uri);
            return ServerLocator.jdk().locate(uri, protocols);
        };
        try (LoopbackRig rig = new LoopbackRig(null, recording, true)) {
            SipRequest routed = Fixtures.options("sip:bob@10.0.0.99;transport=mem").toBuilder()
                    .add(HeaderType.ROUTE, NameAddress.of(SipUri.parse("sip:10.0.0.2:5060;transport=mem;lr")))
                    .add(HeaderType.ROUTE, NameAddress.of(SipUri.parse("sip:10.0.0.77;lr")))
                    .build();
            OutboundRequest out = rig.layer.prepare(routed, null);
            assertEquals(LoopbackRig.PEER, out.destination().address());
            assertEquals("10.0.0.2", asked.getFirst().host());
            assertEquals(routed.requestUri(), out.request().requestUri());
        }
    }

    @Test
    void aStrictRouteLeavesTheRequestUriAsTheTarget() throws IOException {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipRequest strict = Fixtures.options(TO_PEER).toBuilder()
                    .add(HeaderType.ROUTE, NameAddress.of(SipUri.parse("sip:10.0.0.77;transport=mem")))
                    .build();
            assertEquals(LoopbackRig.PEER, rig.layer.prepare(strict, null).destination().address());
            assertEquals("10.0.0.2", TransportLayer.target(strict).host());
        }
    }

    @Test
    void anExplicitDestinationWinsWithoutAskingTheLocator() throws IOException {
        ServerLocator refusing = (uri, protocols) -> {
            throw new AssertionError("the locator was asked for " + uri);
        };
        try (LoopbackRig rig = new LoopbackRig(null, refusing, true)) {
            InetSocketAddress elsewhere = new InetSocketAddress("10.0.0.3", 5070);
            OutboundRequest out = rig.layer.prepare(Fixtures.options(TO_PEER), Destination.of("mem", elsewhere));
            assertEquals(elsewhere, out.connection().remoteAddress());
            assertEquals(Destination.of("mem", elsewhere), out.destination());
        }
        try (LoopbackRig rig = new LoopbackRig(null, refusing, true)) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options("sip:ignored@10.0.0.99;transport=mem-stream").toBuilder().requestUri(Uri.parse("tel:+15551234")).build(), Destination.of("mem", LoopbackRig.PEER));
            assertEquals("MEM", out.request().topVia().transport());
            assertEquals(LoopbackRig.PEER, out.connection().remoteAddress());
        }
    }

    @Test
    void aNonSipRequestUriWithoutRouteIsUnresolvable() {
        try (LoopbackRig rig = new LoopbackRig()) {
            SipRequest tel = SipRequest.builder(Method.OPTIONS, Uri.parse("tel:+15551234"))
                    .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("a"))
                    .to(NameAddress.of(SipUri.parse("sip:bob@example.com"))).callId("tel@test").cseq(1).build();
            UnresolvableException e = assertThrows(UnresolvableException.class, () -> rig.layer.prepare(tel, null));
            assertEquals("tel:+15551234", e.target());
        }
    }

    @Test
    void nothingLocatedOrALocatorFailureIsUnresolvable() {
        IOException dnsDown = new IOException("cannot resolve host 'nowhere.test'");
        try (LoopbackRig none = new LoopbackRig(null, (uri, protocols) -> List.of(), true);
                LoopbackRig failing = new LoopbackRig(null, (uri, protocols) -> {
                    throw dnsDown;
                }, true)) {
            assertThrows(UnresolvableException.class, () -> none.layer.prepare(Fixtures.options(TO_PEER), null));
            UnresolvableException e = assertThrows(UnresolvableException.class,
                    () -> failing.layer.prepare(Fixtures.options(TO_PEER), null));
            assertSame(dnsDown, e.getCause());
            assertTrue(e.getMessage().contains("nowhere.test"), e.getMessage());
        }
    }

    @Test
    void aDestinationThatCannotBeReachedFailsOverToTheNext() throws IOException {
        InetSocketAddress dead = new InetSocketAddress("10.0.0.5", 5060);
        ServerLocator twoServers = (uri, protocols) -> List.of(Destination.of("mem-stream", dead),
                Destination.of("mem-stream", LoopbackRig.PEER));
        try (LoopbackRig rig = new LoopbackRig(null, twoServers, true)) {
            OutboundRequest out = rig.layer.prepare(Fixtures.options("sip:bob@example.com"), null);
            assertEquals(LoopbackRig.PEER, out.connection().remoteAddress());
            assertEquals("MEM-STREAM", out.request().topVia().transport());
        }
        ServerLocator onlyDead = (uri, protocols) -> List.of(Destination.of("mem-stream", dead));
        try (LoopbackRig rig = new LoopbackRig(null, onlyDead, true)) {
            IOException e = assertThrows(IOException.class, () -> rig.layer.prepare(Fixtures.options("sip:bob@example.com"), null));
            assertFalse(e instanceof UnresolvableException, "a connect failure is not a resolution failure");
        }
    }
}
