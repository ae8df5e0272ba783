package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ResolverConfig;
import sip.dns.DnsServerLocator;
import sip.interop.Peers;
import sip.interop.SippCalls;
import sip.message.SipUri;
import sip.router.ServerLocator;
import sip.router.SipTimers;
import sip.router.UserAgent;
import sip.testkit.Dnsmasq;

/**
 * The ServiceLoader path: a {@link UserAgent} built without {@code serverLocator(...)} takes
 * the first {@link ServerLocator} service, which with sip.dns present is the RFC 3263 one
 * ({@link DnsServerLocator#provider()}, the system's resolvers). This module's tests run on the
 * class path, as many applications do, so this is also the class-path registration.
 *
 * <p>The user agent has no accessor for its locator, so the second test tells by behaviour:
 * dnsjava's system configuration is pointed at a dnsmasq the test started (the {@code dns.server}
 * property, read by {@link ResolverConfig} before {@code /etc/resolv.conf}), and a request to
 * {@code sip:alice@example.test} must reach SIPp through its NAPTR/SRV records, which the JDK
 * resolver could not follow. It sends nothing unless both guards hold: the service found is
 * sip.dns's (else the JDK locator would ask the real system resolver for example.test), and
 * dnsjava's configuration names only the test's dnsmasq.
 */
class DnsServiceLoaderInteropTest {

    private static final SipTimers TIMERS =
            new SipTimers(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(250));

    @TempDir
    Path dir;

    @Test
    void serviceLoaderFindsTheDnsLocator() {
        ServerLocator found = firstService();
        // No named modules on the class path: the package says whose it is.
        assertTrue(found.getClass().getName().startsWith("sip.dns."),
                "UserAgent.Builder.build() would use " + found.getClass().getName() + ", not sip.dns's locator");
    }

    @Test
    void userAgentWithoutALocatorFollowsNaptrAndSrv() throws Exception {
        RequiredPeers.dnsmasq();
        RequiredPeers.sipp();
        ServerLocator found = firstService();
        if (!found.getClass().getName().startsWith("sip.dns.")) {
            fail("not sending to example.test: the user agent would locate it with "
                    + found.getClass().getName() + " through the system resolver");
        }
        int sippPort = LoopbackPorts.unused("udp");
        SippCalls sipp = new SippCalls(dir);
        String previous = System.getProperty("dns.server");
        try (Dnsmasq dns = Dnsmasq.builder()
                        .domain("example.test")
                        .naptr("example.test", 10, 50, "s", "SIP+D2U", "", "_sip._udp.example.test")
                        .srv("_sip._udp.example.test", "uas.example.test", sippPort, 10, 10)
                        .host("uas.example.test", "127.0.0.1")
                        .ttl(Duration.ofSeconds(60))
                        .start();
                Peers.Started uas = sipp.uas("uas", UasScenario.OPTIONS_THEN_CALL.writeTo(dir), "udp", sippPort, 1)) {
            try {
                System.setProperty("dns.server", "127.0.0.1:" + dns.port());
                ResolverConfig.refresh();
                List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
                if (!system.equals(List.of(dns.address()))) {
                    fail("dnsjava's system servers are " + system + ", not only " + dns.address() + ": not sending");
                }
                try (LocatingUac uac = new LocatingUac(UserAgent.newBuilder().name("parley-dns-e2e").timers(TIMERS).build())) {
                    String callId = UUID.randomUUID() + "@parley.test";
                    SipUri alice = SipUri.parse("sip:alice@example.test");
                    LocatingUac.Exchange options = uac.options(alice, callId, 1);
                    assertEquals(200, options.status(), "OPTIONS: " + options.describe());
                    assertEquals("udp", options.flow().protocol(), options.flow().toString());
                    assertEquals(sippPort, options.flow().remote().getPort(), options.flow().toString());
                    LocatingUac.Exchange invite = uac.invite(alice, callId, 2);
                    assertEquals(200, invite.status(), "INVITE: " + invite.describe());
                    assertEquals(200, uac.bye(invite).status());
                }
            } finally {
                if (previous == null) {
                    System.clearProperty("dns.server");
                } else {
                    System.setProperty("dns.server", previous);
                }
                ResolverConfig.refresh();
            }
            assertTrue(dns.queryCount("example.test", "NAPTR") >= 1, "NAPTR never asked:\n" + dns.queryLog());
            assertTrue(dns.queryCount("_sip._udp.example.test", "SRV") >= 1, "SRV never asked:\n" + dns.queryLog());
            Peers.Run run = uas.await(SippCalls.PEER_TIMEOUT_S);
            assertEquals(0, run.exitCode(), sipp.report("uas", run));
        }
    }

    /** What {@code UserAgent.Builder.build()} takes when it is given no locator; fails when there is none. */
    private static ServerLocator firstService() {
        return ServiceLoader.load(ServerLocator.class).findFirst().orElseThrow(() -> new AssertionError(
                "no ServerLocator service on the class path: sip.dns registers its provider only in"
                        + " module-info (provides ... with DnsServerLocator), which the class path ignores;"
                        + " user agents there fall back to ServerLocator.jdk() (no NAPTR/SRV)"));
    }
}
