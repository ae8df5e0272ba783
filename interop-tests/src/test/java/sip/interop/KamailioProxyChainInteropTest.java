package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.Target;

/**
 * Two record-routing stateful proxies in a chain, Parley's and a real Kamailio 5.6
 * ({@code resources/sip/interop/kamailio/proxy-chain.cfg}), between a SIPp UAC following the
 * Record-Route set ({@code uac-rr-transactions.xml}) and a SIPp UAS, in both orders. The
 * UAC's ACK and BYE must traverse both proxies by the route set the two built: Kamailio logs one
 * line per request it handles, Parley counts its relays and stateless forwards, and the UAS sees
 * three Via values on each BYE (UAC, first proxy, second proxy).
 */
class KamailioProxyChainInteropTest {

    private static final int CALLS = 20;

    @TempDir
    Path dir;

    /** UAC → Parley → Kamailio → UAS: Parley pre-loads a Route to Kamailio on each branch. */
    @Test
    void parleyThenKamailio() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort("udp");
        try (Kamailio kamailio = Kamailio.start(dir, "proxy-chain.cfg", Map.of("NEXT_HOP", "# next hop: the Request-URI"));
             Peers.Started uas = sipp.uas("uas", sipp.scenario("uas-answer.xml"), "udp", uasPort, CALLS)) {
            Target viaKamailio = new Target(SipUri.parse("sip:service@127.0.0.1:" + uasPort),
                    List.of(NameAddress.of(SipUri.parse("sip:127.0.0.1:" + kamailio.port() + ";lr"))), null);
            try (RelayingProxy proxy = new RelayingProxy(r -> List.of(viaKamailio), RelayOptions.defaults())) {
                runCalls(sipp, proxy, proxy.port(), uas, kamailio);
            }
        }
    }

    /** UAC → Kamailio → Parley → UAS: Kamailio's next hop is Parley, Parley's the UAS. */
    @Test
    void kamailioThenParley() throws Exception {
        SippCalls sipp = new SippCalls(dir);
        int uasPort = Sipp.freePort("udp");
        try (RelayingProxy proxy = RelayingProxy.to("sip:service@127.0.0.1:" + uasPort);
             Kamailio kamailio = Kamailio.start(dir, "proxy-chain.cfg",
                     Map.of("NEXT_HOP", "$du = \"sip:127.0.0.1:" + proxy.port() + "\";"));
             Peers.Started uas = sipp.uas("uas", sipp.scenario("uas-answer.xml"), "udp", uasPort, CALLS)) {
            runCalls(sipp, proxy, kamailio.port(), uas, kamailio);
        }
    }

    private void runCalls(SippCalls sipp, RelayingProxy proxy, int firstHop, Peers.Started uas, Kamailio kamailio)
            throws Exception {
        Peers.Run uac = sipp.uac("uac", sipp.scenario("uac-rr-transactions.xml"), "udp", firstHop, CALLS);
        Peers.Run uasRun = uas.await(SippCalls.PEER_TIMEOUT_S);
        String why = sipp.report("uac", uac) + "\n" + sipp.report("uas", uasRun) + kamailio.logTail();

        assertEquals(0, uac.exitCode(), why);
        assertEquals(CALLS, sipp.stats("uac", uac.output()).successful(), why);
        assertEquals(0, uasRun.exitCode(), why);
        assertEquals(CALLS, sipp.stats("uas", uasRun.output()).successful(), why);

        // The dialog's route set names both proxies, in the order they were crossed.
        String invite = SippProxyInteropTest.first(sipp.received("uas"), "INVITE ");
        assertEquals(2, SippProxyInteropTest.recordRoutes(invite), invite);
        List<String> byes = sipp.received("uas").stream().filter(m -> m.startsWith("BYE ")).toList();
        assertEquals(CALLS, byes.size(), why);
        for (String bye : byes) {
            assertEquals(3, SippProxyInteropTest.vias(bye), "a BYE that did not cross both proxies\n" + bye);
        }

        // Kamailio handled every INVITE, ACK and BYE, the in-dialog ones by loose routing.
        assertEquals(CALLS, kamailio.count("CHAIN-REQUEST INVITE "), why);
        assertEquals(CALLS, kamailio.count("CHAIN-REQUEST ACK .* route=\\[<sip:127\\.0\\.0\\.1:" + kamailio.port()
                + ";lr"), why);
        assertEquals(CALLS, kamailio.count("CHAIN-REQUEST BYE .* route=\\[<sip:127\\.0\\.0\\.1:" + kamailio.port()
                + ";lr"), why);
        assertEquals(0, kamailio.count("CHAIN-STRAY"), why);

        // Parley relayed every INVITE and BYE statefully and forwarded every ACK statelessly.
        ProxyStats stats = proxy.stats();
        assertEquals(2L * CALLS, stats.relayed(), stats.toString());
        assertEquals(2L * CALLS, stats.succeeded(), stats.toString());
        assertEquals(CALLS, stats.statelessForwarded(), stats.toString());
        SippProxyInteropTest.assertIdle(proxy);
    }
}
