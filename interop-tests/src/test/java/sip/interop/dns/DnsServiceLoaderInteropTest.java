package sip.interop.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.interop.Peers;
import sip.interop.Sipp;
import sip.interop.SippCalls;
import sip.testkit.Dnsmasq;

/**
 * The ServiceLoader path on the module path: a user agent built without
 * {@code serverLocator(...)} takes the first {@code ServerLocator} service, which with sip.dns on
 * the module path is the RFC 3263 one ({@code DnsServerLocator.provider()}: the system's
 * resolvers). The user agent has no accessor for its locator, so this tells by behaviour: a
 * request to {@code sip:alice@example.test} reaches SIPp only by following example.test's NAPTR
 * and SRV records, which the JDK resolver does not.
 *
 * <p>This module's tests run on the class path, where {@code provides} in a module-info means
 * nothing, so the user agent runs in a JVM of its own ({@link ModulePathUac}) with the Parley
 * modules, dnsjava and slf4j on the module path, and dnsjava's {@code dns.server} property
 * naming the test's dnsmasq as the system resolver: the test JVM's own DNS settings stay as
 * they are, and nothing is asked of the machine's real resolver (the program refuses to send
 * unless both its guards hold).
 */
class DnsServiceLoaderInteropTest {

    /** JVM start-up, one NAPTR → SRV → A chain, one call. */
    private static final long CHILD_TIMEOUT_S = 20;

    @TempDir
    Path dir;

    @Test
    void userAgentWithoutALocatorOnTheModulePathFollowsNaptrAndSrv() throws Exception {
        RequiredPeers.dnsmasq();
        Peers.require("sipp");
        int sippPort = Sipp.freePort("udp");
        SippCalls sipp = new SippCalls(dir);
        try (Dnsmasq dns = Dnsmasq.builder()
                        .domain("example.test")
                        .naptr("example.test", 10, 50, "s", "SIP+D2U", "", "_sip._udp.example.test")
                        .srv("_sip._udp.example.test", "uas.example.test", sippPort, 10, 10)
                        .host("uas.example.test", "127.0.0.1")
                        .ttl(Duration.ofSeconds(60))
                        .start();
                Peers.Started uas = sipp.uas("uas", UasScenario.OPTIONS_THEN_CALL.writeTo(dir), "udp", sippPort, 1)) {
            String dnsServer = "127.0.0.1:" + dns.port();
            Peers.Run child = Peers.run(dir, CHILD_TIMEOUT_S, List.of(javaCommand(), "-Ddns.server=" + dnsServer,
                    "--module-path", modulePath(), "--add-modules", "ALL-MODULE-PATH",
                    "-cp", testClasses(), ModulePathUac.class.getName(), "sip:alice@example.test", dnsServer));
            String why = "module-path UAC exit " + child.exitCode() + ":\n" + child.output();

            assertTrue(child.output().contains("first ServerLocator sip.dns.DnsServerLocator in module sip.dns"), why);
            assertEquals(0, child.exitCode(), why);
            assertTrue(child.output().contains("OPTIONS 200 OK over udp:"), why);
            assertTrue(child.output().contains("->127.0.0.1:" + sippPort), why);
            assertTrue(child.output().contains("INVITE 200 OK over udp:"), why);
            assertTrue(child.output().contains("BYE 200 OK"), why);

            assertTrue(dns.queryCount("example.test", "NAPTR") >= 1, "NAPTR never asked:\n" + dns.queryLog());
            assertTrue(dns.queryCount("_sip._udp.example.test", "SRV") >= 1, "SRV never asked:\n" + dns.queryLog());
            Peers.Run run = uas.await(SippCalls.PEER_TIMEOUT_S);
            String sippWhy = sipp.report("uas", run);
            assertEquals(0, run.exitCode(), sippWhy);
            Sipp.Stats stats = sipp.stats("uas", run.output());
            assertEquals(1, stats.successful(), sippWhy);
        }
    }

    /** The java launcher running this test (JDK 25). */
    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
    }

    /**
     * The jars of the Parley modules this needs, dnsjava and slf4j, from this JVM's class path:
     * each a named module (slf4j-simple's provider included). Not sip.testkit (it needs
     * Bouncy Castle) nor JUnit's.
     */
    private static String modulePath() {
        List<String> jars = new ArrayList<>();
        for (String entry : classPath()) {
            String name = Path.of(entry).getFileName().toString();
            boolean wanted = name.endsWith(".jar") && !name.startsWith("sip.testkit")
                    && (name.startsWith("sip.") || name.startsWith("dnsjava-") || name.startsWith("slf4j-"));
            if (wanted) {
                jars.add(entry);
            }
        }
        assertTrue(jars.stream().anyMatch(j -> Path.of(j).getFileName().toString().startsWith("sip.dns")),
                "sip.dns is not on this JVM's class path: " + jars);
        return String.join(File.pathSeparator, jars);
    }

    /** This module's compiled tests (where {@link ModulePathUac} is): the child's class path. */
    private static String testClasses() throws Exception {
        return Path.of(ModulePathUac.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static List<String> classPath() {
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }
}
