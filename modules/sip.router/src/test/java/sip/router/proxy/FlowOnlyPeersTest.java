package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.ServerTransaction;
import sip.router.TransactionFailure;
import sip.router.UserAgent;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;

/**
 * Peers reached only over their flow, as WebSocket phones are (RFC 7118 §5): here "browsers" on
 * the in-memory stream transport that listen nowhere and name themselves by a {@code *.invalid}
 * host in Via and Contact, as JsSIP does. Through the proxy: a double Record-Route whose side
 * facing the browser carries a flow token; in-dialog requests and ACKs from the datagram side go
 * back over the browser's connection; a REGISTER's binding leaves with its connection; a dialog
 * whose browser left gets {@code 430 Flow Failed}; and the proxy never looks a {@code *.invalid}
 * name up.
 */
@Timeout(60)
class FlowOnlyPeersTest {

    private static final InetSocketAddress BROWSER = new InetSocketAddress("10.0.0.7", 5060);
    private static final SipUri BOB_AOR = SipUri.parse("sip:bob@example.com");

    private final ProxyBed bed = new ProxyBed();
    private final LocationService store = LocationService.inMemory(bed.clock);
    /** Every host the proxy asked its locator about. */
    private final List<String> located = new CopyOnWriteArrayList<>();
    private Proxy proxy;
    private UserAgent proxyUa;

    @AfterEach
    void close() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        bed.close();
        store.close();
        assertFalse(located.stream().anyMatch(h -> h.endsWith(".invalid")), "looked up: " + located);
    }

    /** The proxy, with a locator that records what it is asked, and a registrar for REGISTER. */
    private Proxy proxy() throws IOException {
        ServerLocator jdk = ServerLocator.jdk();
        ServerLocator recording = new ServerLocator() {
            @Override
            public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
                located.add(target.host());
                return jdk.locate(target, protocols);
            }

            @Override
            public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
                located.add(host);
                return jdk.locateSentBy(protocol, host, port);
            }
        };
        proxyUa = bed.agent("proxy", PROXY, b -> b.serverLocator(recording), "mem", "mem-stream");
        return proxyOn(proxyUa);
    }

    /** A proxy on {@code ua}: a new one after {@link Proxy#close} is a restarted proxy (new keys). */
    private Proxy proxyOn(UserAgent ua) {
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        ua.server().onFlowClosed(registrar::flowClosed);
        proxy = Proxy.newBuilder(ua).relayHosts(UAS1.getAddress().getHostAddress()).build();
        proxy.onRequest(req -> {
            SipRequest r = req.request();
            if (r.method().equals(Method.REGISTER)) {
                registrar.handler().handle(req.transaction());
            } else if (r.requestUri() instanceof SipUri u && "example.com".equals(u.host())) {
                proxy.relay(req, store.lookup(AddressOfRecord.of(u)).stream().map(Target::of).toList(),
                        RelayOptions.defaults());
            } else {
                proxy.relay(req, r.requestUri());
            }
        });
        return proxy;
    }

    /** A phone in a "browser": no listener, a *.invalid name in Via and Contact. */
    private ProxyBed.Uas browser(String invalidHost) throws IOException {
        return new ProxyBed.Uas(bed.agent("browser", BROWSER, b -> b.hostName(invalidHost)));
    }

    @Test
    void aBrowserCallsTheDatagramSideAndIsCalledBackOverItsConnection() throws Exception {
        proxy();
        ProxyBed.Uas browser = browser("df7jal23ls0d.invalid");
        ProxyBed.Uas uas = bed.uas("uas", UAS1, "mem");

        SipRequest invite = browser.ua.client().newRequest(Method.INVITE, ProxyBed.memUri("bob", UAS1)).build();
        ClientTransaction call = browser.ua.client().request(invite, Destination.of("mem-stream", PROXY));
        assertEquals("df7jal23ls0d.invalid", ((SipUri) call.request().contacts().getFirst().uri()).host(),
                "the automatic Contact names the *.invalid host, as JsSIP's does");
        assertEquals("df7jal23ls0d.invalid", call.request().topVia().host());
        ServerTransaction atUas = uas.take(Method.INVITE);
        List<NameAddress> rr = atUas.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "RFC 5658: one facing each side: " + rr);
        SipUri toUas = (SipUri) rr.get(0).uri();
        SipUri toBrowser = (SipUri) rr.get(1).uri();
        assertEquals("mem", toUas.transport());
        assertNull(toUas.parameter("pf"), "the datagram side is reached at its Contact");
        assertEquals("mem-stream", toBrowser.transport());
        assertNotNull(toBrowser.parameter("pf"), "the browser's side names its flow");

        atUas.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode(), "the 200 went back over the connection, not to the .invalid sent-by");
        browser.ua.client().ack(call.request(), ok);
        bed.await(() -> uas.acks.size() == 1, "ACK at the callee");

        // The callee hangs up: Request-URI the browser's *.invalid Contact, Route the Record-Route.
        SipRequest.Builder bye = SipRequest.builder(Method.BYE, atUas.request().contacts().getFirst().uri())
                .callId(invite.callId()).from(ok.to()).to(call.request().from()).cseq(1);
        rr.forEach(r -> bye.add(HeaderType.ROUTE, r));
        ClientTransaction byeTx = uas.ua.client().request(bye.build());
        ServerTransaction byeAtBrowser = browser.take(Method.BYE);
        assertEquals("mem-stream", byeAtBrowser.flow().protocol(), "over the browser's own connection");
        byeAtBrowser.respond(200);
        assertEquals(200, byeTx.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }

    @Test
    void aRegisteredBrowserIsCalledAndAckedOverItsFlowAndLeavesWithIt() throws Exception {
        proxy();
        ProxyBed.Uas browser = registeredBrowser();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest invite = ProxyBed.invite(uac, BOB_AOR);
        SipResponse ok = callAcked(uac, invite, browser);

        ClientTransaction bye = uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2));
        browser.take(Method.BYE).respond(200);
        assertEquals(200, bye.response().get(10, TimeUnit.SECONDS).statusCode());

        // Its connection closes: the binding goes, and the AoR has nobody to ring.
        browser.ua.close();
        bed.await(() -> store.lookup(AddressOfRecord.of(BOB_AOR)).isEmpty(), "binding removed with its flow");
        SipResponse nobody = uac.client().request(ProxyBed.invite(uac, BOB_AOR), Destination.of("mem", PROXY))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(480, nobody.statusCode());
        bed.drain();
    }

    @Test
    void anInDialogRequestToABrowserThatLeftGets430() throws Exception {
        proxy();
        ProxyBed.Uas browser = registeredBrowser();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest invite = ProxyBed.invite(uac, BOB_AOR);
        SipResponse ok = callAcked(uac, invite, browser);

        browser.ua.close();
        SipResponse failed = uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(430, failed.statusCode(), "RFC 5626 §5.3: Flow Failed, not a lookup of the .invalid name");
        bed.drain();
    }

    @Test
    void anInDialogRequestCarryingTheFlowTokenOfAProxyBeforeItsRestartGets430() throws Exception {
        proxy();
        ProxyBed.Uas browser = registeredBrowser();
        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest invite = ProxyBed.invite(uac, BOB_AOR);
        SipResponse ok = callAcked(uac, invite, browser);

        proxy.close();
        proxyOn(proxyUa); // restarted: its keys are new, the browser's flow token no longer verifies
        SipResponse failed = uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2))
                .response().get(10, TimeUnit.SECONDS);

        assertEquals(430, failed.statusCode(), "RFC 5626 §5.3: Flow Failed, not a lookup of the .invalid name");
        assertTrue(located.stream().noneMatch(h -> h.endsWith(".invalid")), "looked up: " + located);
        bed.drain();
    }

    @Test
    void aRequestForAnInvalidHostWithNoFlowFailsAtOnceWithoutALookup() throws Exception {
        UserAgent ua = bed.agent("ua", UAC, b -> b.serverLocator(new ServerLocator() {
            @Override
            public List<Destination> locate(SipUri target, Set<String> protocols) {
                located.add(target.host());
                throw new AssertionError("looked up " + target);
            }
        }), "mem");
        ClientTransaction tx = ua.client().request(ua.client().newRequest(Method.MESSAGE,
                SipUri.parse("sip:alice@df7jal23ls0d.invalid;transport=ws")).build());
        SipResponse local = tx.response().get(10, TimeUnit.SECONDS);
        assertEquals(503, local.statusCode());
        TransactionFailure.Unresolvable why = assertInstanceOf(TransactionFailure.Unresolvable.class,
                tx.failure().orElseThrow());
        assertTrue(why.detail().contains(".invalid"), why.detail());
        assertTrue(located.isEmpty());
    }

    /**
     * {@code invite} from the datagram side to the registered browser, answered 200 and ACKed:
     * the Record-Route facing the browser names its flow, and the ACK to its {@code *.invalid}
     * Contact is forwarded statelessly over that flow.
     */
    private SipResponse callAcked(UserAgent uac, SipRequest invite, ProxyBed.Uas browser) throws Exception {
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        ServerTransaction atBrowser = browser.take(Method.INVITE);
        List<NameAddress> rr = atBrowser.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "" + rr);
        assertNotNull(((SipUri) rr.get(0).uri()).parameter("pf"), "the top one faces the browser: its flow");
        assertNull(((SipUri) rr.get(1).uri()).parameter("pf"));
        atBrowser.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        uac.client().ack(invite, ok);
        bed.await(() -> browser.acks.size() == 1, "ACK forwarded over the browser's flow");
        return ok;
    }

    private ProxyBed.Uas registeredBrowser() throws Exception {
        ProxyBed.Uas browser = browser("k2j3h4l5.invalid");
        SipRequest register = browser.ua.client().newRequest(Method.REGISTER, SipUri.of("example.com"))
                .to(NameAddress.of(BOB_AOR))
                .contact(Contact.of(SipUri.parse("sip:bob@k2j3h4l5.invalid;transport=mem-stream")))
                .build();
        SipResponse registered = browser.ua.client().request(register, Destination.of("mem-stream", PROXY))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(200, registered.statusCode());
        assertEquals(1, store.lookup(AddressOfRecord.of(BOB_AOR)).size());
        return browser;
    }
}
