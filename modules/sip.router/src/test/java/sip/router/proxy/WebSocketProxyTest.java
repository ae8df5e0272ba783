package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.Scheduler;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TransportConfig;

/**
 * The proxy and registrar with real WebSocket listeners (the {@code sip.transport.ws} provider,
 * WS and WSS on 127.0.0.1) and a "browser": a user agent that listens nowhere, names itself by
 * a {@code *.invalid} host in Via and Contact, and sends everything over its one connection to
 * the proxy, as JsSIP does. On the other side a UDP phone. Checked: Via {@code SIP/2.0/WS(S)} on
 * what goes over WebSocket; responses back over the browser's connection; the binding's flow;
 * Record-Route {@code sip:...;transport=ws} for WS and WSS listeners, doubled with the UDP one
 * (RFC 5658) and recognised as the proxy's own on in-dialog requests both ways; requests from the
 * UDP side to the browser's {@code *.invalid} Contact over its connection; the binding removed
 * when the connection closes.
 */
@Timeout(60)
class WebSocketProxyTest {

    @TempDir
    static Path dir;
    private static TestCertificateAuthority ca;
    private static TestCertificateAuthority.Issued server;

    private static final SipUri BOB_AOR = SipUri.parse("sip:bob@example.com");

    private final List<UserAgent> agents = new ArrayList<>();
    private final LocationService store = LocationService.inMemory(Scheduler.system());
    /** The Via transport of every REGISTER the proxy got. */
    private final List<String> registerVias = new CopyOnWriteArrayList<>();
    private Proxy proxy;
    private InetSocketAddress udpAt;
    private InetSocketAddress wsAt;
    private InetSocketAddress wssAt;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestCertificateAuthority.create(dir, "ca");
        server = ca.server("server"); // sip.test, 127.0.0.1 and ::1
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        agents.reversed().forEach(UserAgent::close);
        store.close();
    }

    private UserAgent agent(String name, UserAgent.Builder b) {
        UserAgent ua = b.name(name).closeTimeout(Duration.ZERO).build();
        agents.add(ua);
        return ua;
    }

    private void proxy() throws Exception {
        UserAgent ua = agent("proxy", UserAgent.newBuilder().transportConfig(TransportConfig.newBuilder()
                .tls(TlsConfig.newBuilder().certificate(server.chain(), server.key8()).build()).build()));
        udpAt = ua.listen("udp", "127.0.0.1:0").localAddress();
        wsAt = ua.listen("ws", "127.0.0.1:0").localAddress();
        wssAt = ua.listen("wss", "127.0.0.1:0").localAddress();
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        ua.server().onFlowClosed(registrar::flowClosed);
        proxy = Proxy.newBuilder(ua).relayHosts("127.0.0.1").build();
        proxy.onRequest(req -> {
            SipRequest r = req.request();
            if (r.method().equals(Method.REGISTER)) {
                registerVias.add(r.topVia().transport());
                registrar.handler().handle(req.transaction());
            } else if (r.requestUri() instanceof SipUri u && "example.com".equals(u.host())) {
                proxy.relay(req, store.lookup(AddressOfRecord.of(u)).stream().map(Target::of).toList(),
                        RelayOptions.defaults());
            } else {
                proxy.relay(req, r.requestUri());
            }
        });
    }

    /**
     * A browser phone over {@code protocol}: no listener, a {@code *.invalid} name, and every
     * request to the proxy's listener of that protocol (one socket, as in a browser).
     */
    private ProxyBed.Uas browser(String protocol) {
        InetSocketAddress at = protocol.equals("wss") ? wssAt : wsAt;
        UserAgent ua = agent("browser", UserAgent.newBuilder()
                .hostName("df7jal23ls0d.invalid")
                .serverLocator((target, protocols) -> List.of(Destination.of(protocol, at)))
                .transportConfig(TransportConfig.newBuilder()
                        .tls(TlsConfig.newBuilder().trustedCertificates(ca.certificatePem()).build()).build()));
        return new ProxyBed.Uas(ua);
    }

    private UserAgent udpPhone(String name) throws Exception {
        UserAgent ua = agent(name, UserAgent.newBuilder());
        ua.listen("udp", "127.0.0.1:0");
        return ua;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "wss"})
    void aBrowserRegistersAndIsCalledOverItsConnectionUntilItCloses(String protocol) throws Exception {
        proxy();
        ProxyBed.Uas browser = browser(protocol);
        SipRequest register = browser.ua.client().newRequest(Method.REGISTER, SipUri.of("example.com"))
                .to(NameAddress.of(BOB_AOR))
                .contact(Contact.of(SipUri.parse("sip:bob@df7jal23ls0d.invalid;transport=ws")))
                .build();
        SipResponse registered = browser.ua.client().request(register).response().get(10, TimeUnit.SECONDS);
        assertEquals(200, registered.statusCode(), "answered over the connection, not at the .invalid Via");
        assertEquals(List.of(protocol.toUpperCase(Locale.ROOT)), registerVias, "Via SIP/2.0/WS or WSS");
        Binding binding = store.lookup(AddressOfRecord.of(BOB_AOR)).getFirst();
        assertEquals(protocol, binding.flow().protocol());
        assertTrue(binding.reachedOnlyOverFlow());
        assertEquals(binding.flow(), Target.of(binding).flow(), "a proxy sends to it over its flow");

        UserAgent uac = udpPhone("uac");
        SipRequest invite = ProxyBed.invite(uac, BOB_AOR).toBuilder()
                .removeHeader(HeaderType.CONTACT.name()).contact(Contact.of(SipUri.of("alice", "127.0.0.1",
                        uac.listeners().getFirst().localAddress().getPort())))
                .build();
        ClientTransaction call = uac.client().request(invite, Destination.of("udp", udpAt));
        ServerTransaction atBrowser = browser.take(Method.INVITE);
        assertEquals(protocol.toUpperCase(Locale.ROOT), atBrowser.request().topVia().transport(),
                "the proxy's Via over WebSocket");
        List<NameAddress> rr = atBrowser.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "RFC 5658: one per side: " + rr);
        SipUri toBrowser = (SipUri) rr.get(0).uri();
        SipUri toUac = (SipUri) rr.get(1).uri();
        assertFalse(toBrowser.secure(), "RFC 7118 §8: sip: for WSS too");
        assertEquals("ws", toBrowser.transport(), "RFC 7118 §5.2: transport=ws for WS and WSS");
        assertEquals((protocol.equals("wss") ? wssAt : wsAt).getPort(), toBrowser.port());
        assertNotNull(toBrowser.parameter("pf"), "names the browser's connection");
        assertNull(toUac.transport(), "the UDP side: no transport parameter");
        assertEquals(udpAt.getPort(), toUac.port());

        atBrowser.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());
        // ACK and BYE to sip:parley@df7jal23ls0d.invalid...: never looked up, over the connection.
        assertTrue(((SipUri) ok.contacts().getFirst().uri()).host().endsWith(".invalid"));
        uac.client().ack(invite, ok);
        ProxyBed.await(() -> browser.acks.size() == 1, "ACK at the browser");
        ClientTransaction bye = uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2));
        ServerTransaction byeAtBrowser = browser.take(Method.BYE);
        assertEquals(protocol, byeAtBrowser.flow().protocol());
        assertFalse(byeAtBrowser.request().hasHeader(sip.message.StandardHeader.ROUTE), "both of the proxy's Routes removed");
        byeAtBrowser.respond(200);
        assertEquals(200, bye.response().get(10, TimeUnit.SECONDS).statusCode());

        // The tab closes: the binding goes with the connection; the AoR then has nobody.
        browser.ua.close();
        ProxyBed.await(() -> store.lookup(AddressOfRecord.of(BOB_AOR)).isEmpty(), "binding removed with its connection");
        SipResponse nobody = uac.client().request(ProxyBed.invite(uac, BOB_AOR), Destination.of("udp", udpAt))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(480, nobody.statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "wss"})
    void aBrowserCallsAUdpPhoneThroughADoubleRecordRouteBothWays(String protocol) throws Exception {
        proxy();
        ProxyBed.Uas browser = browser(protocol);
        UserAgent uas = udpPhone("uas");
        BlockingQueue<ServerTransaction> atUas = new LinkedBlockingQueue<>();
        List<SipRequest> acks = new CopyOnWriteArrayList<>();
        uas.server().onDefault(atUas::add).onAck((ack, flow) -> acks.add(ack));
        SipUri target = SipUri.of("carol", "127.0.0.1", uas.listeners().getFirst().localAddress().getPort());

        SipRequest invite = browser.ua.client().newRequest(Method.INVITE, target).build();
        ClientTransaction call = browser.ua.client().request(invite);
        assertEquals(protocol.toUpperCase(Locale.ROOT), call.request().topVia().transport(), "Via SIP/2.0/WS(S)");
        ServerTransaction in = atUas.poll(10, TimeUnit.SECONDS);
        assertNotNull(in, "INVITE at the UDP phone");
        List<NameAddress> rr = in.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "" + rr);
        assertNull(((SipUri) rr.get(0).uri()).transport(), "the top one faces the UDP phone");
        SipUri toBrowser = (SipUri) rr.get(1).uri();
        assertEquals("ws", toBrowser.transport());
        assertNotNull(toBrowser.parameter("pf"));

        in.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode(), "the 200 crosses back over the browser's connection");
        browser.ua.client().ack(call.request(), ok);
        ProxyBed.await(() -> acks.size() == 1, "ACK at the UDP phone (the proxy knew its own ws Route)");
        assertFalse(acks.getFirst().hasHeader(sip.message.StandardHeader.ROUTE));

        // The callee hangs up: to the browser's *.invalid Contact, through the Record-Route.
        SipRequest.Builder bye = SipRequest.builder(Method.BYE, in.request().contacts().getFirst().uri())
                .callId(invite.callId()).from(ok.to()).to(call.request().from()).cseq(1);
        rr.forEach(r -> bye.add(HeaderType.ROUTE, r));
        ClientTransaction byeTx = uas.client().request(bye.build());
        ServerTransaction byeAtBrowser = browser.take(Method.BYE);
        assertEquals(protocol, byeAtBrowser.flow().protocol(), "over the browser's own connection");
        byeAtBrowser.respond(200);
        assertEquals(200, byeTx.response().get(10, TimeUnit.SECONDS).statusCode());
    }
}
