package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.message.Method;
import sip.message.SipUri;
import sip.router.Scheduler;
import sip.router.proxy.Proxy;
import sip.router.proxy.ProxyRequest;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.Target;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;

/**
 * A registrar and a proxy on one Parley user agent, routed in Java as a small SIP service does
 * it: REGISTER goes to the {@link Registrar}, every other new request to the contacts bound to
 * the AoR of its Request-URI, {@code 404} when there are none. sipsak registers, SIPp calls
 * through the proxy. (sipsak's own call mode, {@code -U -I}, refuses to run in 0.9.8.1: it
 * prints "Do NOT use the usrloc invite mode without registering sipsak before" and exits
 * whatever the options.)
 */
class RegistrarProxyInteropTest {

    private static final int CALLS = 10;

    @TempDir
    Path dir;

    private Registrar registrar;
    private RelayingProxy proxy;
    /** Whether the routing sends to the binding's flow ({@code Target.of(binding)}) or to its contact URI. */
    private boolean viaFlow;

    @BeforeEach
    void start() throws Exception {
        registrar = Registrar.newBuilder(LocationService.inMemory(Scheduler.system()))
                .domains("127.0.0.1").authorizer(RegisterAuthorizer.allowAll()).build();
        proxy = new RelayingProxy(this::route);
    }

    @AfterEach
    void stop() {
        proxy.close();
        registrar.close();
    }

    private void route(Proxy p, ProxyRequest request) throws Exception {
        if (request.request().method().equals(Method.REGISTER)) {
            registrar.handler().handle(request.transaction());
            return;
        }
        // The AoR of the Request-URI, without the port it was sent to.
        SipUri uri = (SipUri) request.request().requestUri();
        AddressOfRecord aor = new AddressOfRecord(uri.scheme(), uri.user(), uri.host().toLowerCase(java.util.Locale.ROOT), -1);
        List<Target> targets = registrar.locationService().lookup(aor).stream()
                .map(b -> viaFlow ? Target.of(b) : Target.of(b.uri())).toList();
        if (targets.isEmpty()) {
            request.transaction().respond(404);
            return;
        }
        p.relay(request, targets, RelayOptions.defaults());
    }

    /**
     * sipsak binds the SIPp UAS's address to sip:service@127.0.0.1 (a third-party registration);
     * SIPp's calls to that AoR reach the UAS at the contact URI.
     */
    @Test
    void callsReachTheContactSipsakRegistered() throws Exception {
        callTheRegisteredContact();
    }

    /**
     * The same through {@code Target.of(binding)}, the routing package-info shows: a datagram
     * registration without SIP Outbound is reached at its contact, not at the UDP address sipsak
     * sent the REGISTER from (where nothing listens any more).
     */
    @Test
    void callsReachTheContactSipsakRegisteredThroughTargetOfBinding() throws Exception {
        viaFlow = true;
        callTheRegisteredContact();
    }

    private void callTheRegisteredContact() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort("udp");
        Peers.Run register = sipsak("service", "-U", "-C", "sip:service@127.0.0.1:" + uasPort, "-x", "300");
        assertEquals(0, register.exitCode(), register.output());
        assertEquals(1, registrar.locationService().bindingCount());

        try (Peers.Started uas = sipp.uas("uas", sipp.scenario("uas-answer.xml"), "udp", uasPort, CALLS)) {
            Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-rr-transactions.xml"), "udp", proxy.port(), CALLS);
            Peers.Run uasRun = uas.await(SippCalls.PEER_TIMEOUT_S);
            String why = sipp.report("uac", uac) + "\n" + sipp.report("uas", uasRun);
            assertEquals(0, uac.exitCode(), why);
            assertEquals(CALLS, sipp.stats("uac", uac.output()).successful(), why);
            assertEquals(CALLS, sipp.stats("uas", uasRun.output()).successful(), why);
        }
        ProxyStats stats = proxy.stats();
        assertEquals(2L * CALLS, stats.relayed(), stats.toString());
        assertEquals(2L * CALLS, stats.succeeded(), stats.toString());
        SippProxyInteropTest.assertIdle(proxy);
    }

    /** No binding for the AoR: the routing answers 404 itself, and sipsak says it did not get a 200. */
    @Test
    void anUnknownUserIsNotFound() throws Exception {
        Peers.Run options = sipsak("nobody");
        assertNotEquals(0, options.exitCode(), options.output());
        assertTrue(options.output().contains("SIP/2.0 404"), options.output());
        assertEquals(0, proxy.stats().relayed());
        SippProxyInteropTest.assertIdle(proxy);
    }

    private Peers.Run sipsak(String user, String... mode) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("sipsak").toString(), "-vvv", "-i",
                "-s", "sip:" + user + "@127.0.0.1", "-r", String.valueOf(proxy.port())));
        cmd.addAll(List.of(mode));
        return Peers.run(dir, 30, cmd);
    }
}
