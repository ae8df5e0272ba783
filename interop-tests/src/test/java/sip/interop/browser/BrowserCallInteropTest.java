package sip.interop.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sip.interop.Peers;
import sip.interop.Sipp;
import sip.interop.SippCalls;
import sip.interop.script.ParleyProcess;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.UserAgent;
import sip.testkit.TestCertificateAuthority;

/**
 * A real browser phone against the real {@code parley}: JsSIP in headless Chromium registers over
 * WSS to {@code parley run examples/proxy.js} (UDP and WSS listeners, a throw-away certificate),
 * calls a SIPp UAS on UDP registered through the proxy, is called by a SIPp UAC through it (the
 * proxy reaching the browser over its WebSocket connection, the Contact host being
 * {@code *.invalid}), and its registration goes away on unregister and when the page closes.
 * Media: Chrome makes and takes real WebRTC offers (fake devices, host candidates only); SIPp's
 * SDP ({@code interop-tests/ws/browser/*.xml}) is what Chrome's setRemoteDescription accepts. ICE
 * never connects: a call is confirmed on the ACK.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BrowserCallInteropTest {

    @TempDir
    static Path shared;
    static ParleyProcess parley;

    @TempDir
    Path dir;
    private BrowserPhone phone;
    private UserAgent prober;

    @BeforeAll
    static void startParley() throws Exception {
        Peers.require("sipp");
        TestCertificateAuthority ca = TestCertificateAuthority.create(shared, "browser-ca");
        TestCertificateAuthority.Issued certificate = ca.server("parley");
        // A directory of its own: parley watches the script's directory.
        Path script = Files.createDirectories(shared.resolve("script")).resolve("proxy.js");
        Files.copy(ParleyProcess.repositoryRoot().resolve("examples/proxy.js"), script);
        // TCP too, as an operator would: for requests too big for UDP (a browser's INVITE, §18.1.1).
        int udpPort = Sipp.freePort("udp");
        int tcpPort = Sipp.freePort("tcp");
        int wssPort = Sipp.freePort("tcp");
        while (wssPort == tcpPort) {
            wssPort = Sipp.freePort("tcp");
        }
        parley = ParleyProcess.run(shared, script,
                List.of("udp:127.0.0.1:" + udpPort, "tcp:127.0.0.1:" + tcpPort, "wss:127.0.0.1:" + wssPort),
                "--tls-cert", certificate.chain().toString(), "--tls-key", certificate.key8().toString());
    }

    @AfterAll
    static void stopParley() throws Exception {
        if (parley != null) {
            System.out.println(parley.diagnostics());   // for the surefire report, whatever the outcome
            parley.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        phone = BrowserPhone.launch(dir);
        prober = UserAgent.newBuilder().name("prober").build();
        prober.listen("udp", "127.0.0.1:0");
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (prober != null) {
            prober.close();
        }
        if (phone != null) {
            System.out.println(phone.diagnostics());
            phone.close();
        }
    }

    /**
     * Chrome's audio-only offer is about 1.4 KB, so the INVITE parley relays is about 2.2 KB, over
     * the UDP MTU ({@code TransportConfig.mtu}, 1,300): parley tries TCP first (RFC 3261 §18.1.1),
     * the SIPp phone has none and answers with a reset, and parley retries over UDP at the
     * request's size (§18.1.1; {@code Connection.sendAboveMtu}).
     */
    @Test
    void browserCallsASippPhoneOnUdpThroughTheProxyAndHangsUp() throws Exception {
        browserCallsASippPhone("udp");
    }

    /**
     * As the UDP case, the SIPp phone (registered over UDP, without a transport parameter)
     * listening on TCP: the INVITE, too big for UDP, moves to TCP (RFC 3261 §18.1.1), and the
     * dialog's ACK and BYE follow the Record-Route of that leg.
     */
    @Test
    void browserCallsASippPhoneThroughTheProxyOverTcpWhenTheInviteIsTooBigForUdp() throws Exception {
        browserCallsASippPhone("tcp");
    }

    private void browserCallsASippPhone(String phoneTransport) throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort(phoneTransport);
        try (Peers.Started uas = sipp.uas("uas", scenario("uas-webrtc.xml"), phoneTransport, uasPort, 1)) {
            String callee = "bob-" + phoneTransport;
            registerSippPhone(sipp, callee, uasPort);
            register("alice-" + phoneTransport);

            phone.send("call", "target", "sip:" + callee + "@127.0.0.1");
            BrowserEvent confirmed = phone.await("confirmed");
            assertEquals("local", confirmed.text("originator"), confirmed.line());
            assertTrue(confirmed.text("remoteSdp").contains("UDP/TLS/RTP/SAVPF"), "SIPp's answer is the remote description\n"
                    + confirmed.line());
            phone.send("hangup");
            BrowserEvent ended = phone.await("ended");
            assertEquals("local", ended.text("originator"), ended.line());

            Peers.Run run = uas.await(SippCalls.PEER_TIMEOUT_S);
            assertEquals(0, run.exitCode(), sipp.report("uas", run) + "\n" + parley.diagnostics());
            assertEquals(1, sipp.stats("uas", run.output()).successful(), sipp.report("uas", run));

            String invite = first(sipp.received("uas"), "INVITE ");
            Matcher topVia = Pattern.compile("(?mi)^Via:\\s*SIP/2\\.0/(\\w+) ").matcher(invite);
            assertTrue(topVia.find(), invite);
            assertEquals(phoneTransport.toUpperCase(java.util.Locale.ROOT), topVia.group(1),
                    "the proxy's Via names the transport the INVITE left on:\n" + invite);
            assertTrue(invite.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1300,
                    "the INVITE is over the UDP MTU (a WebRTC offer): " + invite.length());
            assertTrue(Pattern.compile("(?mi)^Via:\\s*SIP/2\\.0/WSS .*\\.invalid").matcher(invite).find(),
                    "the browser's Via (WSS, a .invalid sent-by) is kept below the proxy's:\n" + invite);
            assertEquals(2, recordRoutes(invite).size(), "double Record-Route, WSS side and " + phoneTransport + " side:\n" + invite);
            assertTrue(recordRoutes(invite).stream().anyMatch(r -> r.contains("transport=ws")),
                    "one Record-Route names the WebSocket side (RFC 7118 §5.2):\n" + invite);
            assertTrue(first(sipp.received("uas"), "BYE ").contains("CSeq: "), "the browser's BYE reached SIPp");
        }
    }

    @Test
    void sippCallsTheBrowserThroughTheProxyAndHangsUp() throws Exception {
        register("carol");
        SippCalls sipp = new SippCalls(dir);
        Peers.Run run = sipp.uac("caller", scenario("uac-webrtc.xml"), "udp", parley.port("udp"), "carol", 1);
        assertEquals(0, run.exitCode(), sipp.report("caller", run) + "\n" + phone.diagnostics() + "\n" + parley.diagnostics());

        BrowserEvent incoming = phone.await("incoming");
        assertEquals(2, incoming.list("recordRoute").stream().mapToInt(h -> uris(h.toString())).sum(),
                "the browser gets both Record-Routes of the proxy\n" + incoming.line());
        assertEquals("remote", phone.await("confirmed").text("originator"));
        BrowserEvent ended = phone.await("ended");
        assertEquals("remote", ended.text("originator"), "SIPp's BYE ends the call\n" + ended.line());
    }

    @Test
    void sippCallsTheBrowserAndTheBrowserHangsUp() throws Exception {
        register("dave");
        SippCalls sipp = new SippCalls(dir);
        CompletableFuture<Peers.Run> caller = CompletableFuture.supplyAsync(() -> {
            try {
                return sipp.uac("caller", scenario("uac-webrtc-callee-hangs-up.xml"), "udp", parley.port("udp"), "dave", 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("remote", phone.await("confirmed").text("originator"));
        phone.send("hangup");
        assertEquals("local", phone.await("ended").text("originator"));

        Peers.Run run = caller.get(SippCalls.PEER_TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(0, run.exitCode(), sipp.report("caller", run) + "\n" + parley.diagnostics());
        String bye = first(sipp.received("caller"), "BYE ");
        assertTrue(Pattern.compile("(?mi)^Via:\\s*SIP/2\\.0/WSS ").matcher(bye).find(),
                "the browser's BYE came over WSS through the proxy:\n" + bye);
    }

    @Test
    void unregisterRemovesTheBinding() throws Exception {
        register("erin");
        SipResponse reached = options("erin");
        assertEquals(200, reached.statusCode(), "the proxy reaches the browser over its WebSocket: " + reached);
        assertEquals("parley-browser-phone", reached.header("X-Answered-By").orElse(null), "the page answered: " + reached);
        BrowserEvent options = phone.await("options");
        assertTrue(options.list("via").getFirst().toString().startsWith("SIP/2.0/WSS "),
                "the proxy's Via on the request it sent over the WebSocket is WSS: " + options.line());

        phone.send("unregister");
        phone.await("unregistered");
        assertEquals(404, options("erin").statusCode(), "no binding left for erin\n" + parley.diagnostics());
    }

    @Test
    void closingThePageRemovesTheBinding() throws Exception {
        register("frank");
        assertEquals(200, options("frank").statusCode());

        // As a user closing the tab: the WebSocket goes, no REGISTER with expires 0 is sent.
        phone.send("closePage");
        phone.await("pageClosed");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = options("frank").statusCode();
        } while (status != 404 && System.nanoTime() < deadline);
        assertEquals(404, status, "the binding went with its WebSocket connection\n" + parley.diagnostics());
    }

    /** The page's JsSIP UA registers sip:USER@127.0.0.1 over WSS; returns the registered event. */
    private BrowserEvent register(String user) throws Exception {
        phone.send("start", "uri", "sip:" + user + "@127.0.0.1", "ws", "wss://127.0.0.1:" + parley.port("wss"));
        phone.await("connected");
        phone.send("register");
        BrowserEvent registered = phone.await("registered");
        assertEquals(200, registered.number("status"), registered.line());
        assertTrue(registered.text("contact").matches("<sip:[^@]+@[^>]+\\.invalid;transport=ws>"),
                "JsSIP's Contact is reached only over its connection: " + registered.line());
        return registered;
    }

    /** examples/sipp/register.xml binds sip:USER@127.0.0.1 to SIPp on {@code contactPort}. */
    private void registerSippPhone(SippCalls sipp, String user, int contactPort) throws Exception {
        Path scenario = ParleyProcess.repositoryRoot().resolve("examples/sipp/register.xml");
        Peers.Run run = sipp.uac("register-" + user, scenario, "udp", parley.port("udp"), user, 1,
                "-key", "user", user, "-key", "contact_port", String.valueOf(contactPort));
        assertEquals(0, run.exitCode(), sipp.report("register-" + user, run) + "\n" + parley.diagnostics());
    }

    /** OPTIONS sip:USER@127.0.0.1 through the proxy over UDP: the final response. */
    private SipResponse options(String user) throws Exception {
        SipRequest options = prober.client().newRequest(Method.OPTIONS, SipUri.of(user, "127.0.0.1", -1)).build();
        return prober.client().request(options, Destination.of("udp", new InetSocketAddress("127.0.0.1", parley.port("udp"))))
                .response().get(40, TimeUnit.SECONDS);
    }

    private static Path scenario(String name) {
        return ParleyProcess.repositoryRoot().resolve("interop-tests/ws/browser").resolve(name);
    }

    private static String first(List<String> messages, String start) {
        return messages.stream().filter(m -> m.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + start.trim() + " among " + messages));
    }

    /** Every Record-Route URI of {@code message}, whether in one header line or several. */
    private static List<String> recordRoutes(String message) {
        Matcher m = Pattern.compile("(?mi)^Record-Route:\\s*(.*)$").matcher(message);
        List<String> routes = new java.util.ArrayList<>();
        while (m.find()) {
            for (String r : m.group(1).split(",(?=\\s*<)")) {
                routes.add(r.trim());
            }
        }
        return routes;
    }

    private static int uris(String headerValue) {
        return (int) headerValue.chars().filter(c -> c == '<').count();
    }
}
