package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;

/**
 * SIPp's built-in {@code uac} (INVITE, ACK, BYE) reaching {@link MinimalResponder} over TLS through
 * Kamailio (Debian {@code kamailio} + {@code kamailio-tls-modules}: OpenSSL, an independent TLS
 * client). Debian's SIPp has no TLS, so it talks UDP to Kamailio, which relays every request
 * statefully ({@code t_relay}) over TLS to the responder and verifies the responder's certificate
 * against the test CA. Kamailio runs in the foreground from a temp dir, on loopback only, with
 * DNS off; the configs are templates under {@code resources/sip/interop/kamailio/}.
 */
class KamailioTlsInteropTest {

    private static final int CALLS = 20;
    private static final long SIPP_TIMEOUT_S = 30;
    private static final Duration KAMAILIO_READY = Duration.ofSeconds(15);
    private static final Duration KAMAILIO_STOP = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofSeconds(10);
    private static final List<String> MODULE_DIRS = List.of(
            "/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules",
            "/usr/lib/kamailio/modules", "/usr/lib64/kamailio/modules",
            "/usr/local/lib/kamailio/modules", "/usr/local/lib64/kamailio/modules");

    @TempDir
    static Path pki;
    static TestCertificateAuthority ca;
    static TestCertificateAuthority otherCa;
    static TestCertificateAuthority.Issued responderCert;
    static TestCertificateAuthority.Issued kamailioCert;

    @TempDir
    Path dir;

    private Process kamailio;
    private Path kamailioLog;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificateAuthority.create(pki, "interop-ca");
        otherCa = TestCertificateAuthority.create(pki, "other-ca");
        responderCert = ca.server("responder");
        // For Kamailio's own TLS listener, which it needs to have a TLS socket to connect out from.
        kamailioCert = ca.server("kamailio");
    }

    @AfterEach
    void stopKamailioAfterEach() throws InterruptedException {
        stopKamailio();
    }

    private static TransportConfig tls() {
        return TransportConfig.newBuilder()
                .handshakeTimeout(Duration.ofSeconds(5))
                .tls(TlsConfig.newBuilder()
                        .certificate(responderCert.chain(), responderCert.key8())
                        .trustedCertificates(ca.certificatePem())
                        .clientAuth(TlsConfig.ClientAuth.NONE)
                        .build())
                .build();
    }

    @Test
    void callsAreRelayedOverTlsToTheResponder() throws Exception {
        try (MinimalResponder responder = new MinimalResponder("tls", tls())) {
            int kamailioPort = startKamailio(responder.port(), ca.certificatePem());
            Peers.Run run = sipp(kamailioPort);
            assertEquals(0, run.exitCode(), run.output() + kamailioLogTail());
            assertEquals(CALLS, responder.received("INVITE"), kamailioLogTail());
            assertEquals(CALLS, responder.received("ACK"), kamailioLogTail());
            assertEquals(CALLS, responder.received("BYE"), kamailioLogTail());
            assertEquals(0, responder.received("malformed"));
            assertEquals(0, responder.sendFailures());

            // Kamailio keeps its one TLS connection to the responder (keyed by destination in its
            // connection table) for every INVITE, ACK and BYE and the answers come back on it;
            // it stays open (tcp_connection_lifetime) until Kamailio goes.
            //
            // The last 200 to a BYE may be counted a moment after SIPp has it: wait for it.
            TransportStats live = responder.awaitStats(st -> st.messagesOut() >= 4L * CALLS, DRAIN);
            assertEquals(1, live.accepted(), "one TLS connection for all calls: " + live + kamailioLogTail());
            assertEquals(1, live.connections(), live.toString());
            assertEquals(0, live.failed(), live.toString());
            // In: INVITE, ACK, BYE per call (tm absorbs SIPp's UDP retransmissions and does not
            // retransmit over TLS); out: 100, 180, 200 to the INVITE and 200 to the BYE.
            assertEquals(3L * CALLS, live.messagesIn(), live.toString());
            assertEquals(4L * CALLS, live.messagesOut(), live.toString());

            stopKamailio();
            String log = Files.readString(kamailioLog, StandardCharsets.ISO_8859_1);
            // Every 200 to an INVITE came in over a TLS connection whose peer certificate OpenSSL
            // verified against ca_list (the test CA): it is the responder's, CN sip.test.
            Matcher m = Pattern.compile("TLS-REPLY 200 INVITE proto=tls verified=(\\S+) cn=(\\S+)").matcher(log);
            int verified = 0;
            while (m.find()) {
                assertEquals("1", m.group(1), m.group());
                assertEquals("sip.test", m.group(2), m.group());
                verified++;
            }
            assertEquals(CALLS, verified, "verified 200s for INVITE in Kamailio's log" + tail(log));
            responder.awaitDrained();
        }
    }

    @Test
    void kamailioRefusesAResponderItDoesNotTrust() throws Exception {
        try (MinimalResponder responder = new MinimalResponder("tls", tls())) {
            int kamailioPort = startKamailio(responder.port(), otherCa.certificatePem());
            Peers.Run run = sipp(kamailioPort);
            assertNotEquals(0, run.exitCode(), run.output() + kamailioLogTail());
            // Kamailio's TLS connect fails asynchronously, so tm hears nothing back and answers
            // each INVITE with 408 when fr_timer (3 s) runs out; SIPp's uac aborts on it.
            assertTrue(run.output().contains("SIP/2.0 408"), run.output() + kamailioLogTail());
            assertEquals(0, responder.received("INVITE"), kamailioLogTail());
            assertEquals(0, responder.received("ACK"));
            assertEquals(0, responder.received("BYE"));
            // A handshake still being torn down holds a socket but is not yet counted: wait for
            // every socket but the listener's to be closed (and counted) before reading the stats.
            TransportStats stats = responder.awaitStats(st -> st.failed() >= 1 && st.sockets() == st.listeners(), DRAIN);
            // OpenSSL refuses the responder's chain before finishing the handshake (TLS 1.3), so
            // the responder never accepts: each attempt counts as failed. Kamailio tries again
            // for later INVITEs (8 failed handshakes for 20 calls here), so at least one.
            assertEquals(0, stats.accepted(), stats + kamailioLogTail());
            assertTrue(stats.failed() >= 1, stats + kamailioLogTail());
            String log = Files.readString(kamailioLog, StandardCharsets.ISO_8859_1);
            assertTrue(log.contains("certificate verify failed"), "no verify failure in Kamailio's log" + tail(log));
            stopKamailio();
            responder.awaitDrained();
        }
    }

    // ---- Kamailio ----

    /** Writes the configs, starts Kamailio in the foreground and waits for it to answer; its UDP port. */
    private int startKamailio(int responderPort, Path caList) throws Exception {
        Path binary = require("kamailio", "kamailio");
        Path modules = MODULE_DIRS.stream().map(Path::of)
                .filter(d -> Files.isRegularFile(d.resolve("tls.so")))
                .findFirst().orElse(null);
        if (modules == null) {
            require("kamailio tls.so", "kamailio-tls-modules");
        }
        int udpPort = freeUdpPort();
        int tlsPort = freeTcpPort();
        Path tlsCfg = dir.resolve("tls.cfg");
        Files.writeString(tlsCfg, template("tls.cfg", Map.of(
                "SERVER_CERT", kamailioCert.chain().toString(),
                "SERVER_KEY", kamailioCert.key8().toString(),
                "CA_LIST", caList.toString())));
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, template("kamailio.cfg", Map.of(
                "UDP_PORT", String.valueOf(udpPort),
                "TLS_PORT", String.valueOf(tlsPort),
                "MODULE_PATH", modules.toString(),
                "TLS_CFG", tlsCfg.toString(),
                "RESPONDER_PORT", String.valueOf(responderPort))));
        Path runDir = Files.createDirectories(dir.resolve("run"));
        kamailioLog = dir.resolve("kamailio.log");
        // -DD: foreground, no daemon; -E: log to stderr; -Y/-w: runtime and working dir here, so
        // no pid file or socket lands in /run; small shared/private memory for a test.
        kamailio = new ProcessBuilder(binary.toString(), "-f", cfg.toString(), "-DD", "-E", "-n", "1",
                "-Y", runDir.toString(), "-w", dir.toString(), "-m", "32", "-M", "8")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(kamailioLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        awaitReady(udpPort);
        return udpPort;
    }

    /** Sends OPTIONS (no user part: Kamailio answers it itself) until a 200 to one comes back. */
    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + KAMAILIO_READY.toNanos();
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            probe.setSoTimeout(200);
            byte[] buffer = new byte[4096];
            for (int n = 1; System.nanoTime() < deadline; n++) {
                if (!kamailio.isAlive()) {
                    fail("kamailio exited with " + kamailio.exitValue() + " before it was ready" + kamailioLogTail());
                }
                String branch = "z9hG4bK-ready-" + n;
                String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.getLocalPort() + ";branch=" + branch + ";rport\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:127.0.0.1>\r\n"
                        + "Call-ID: ready-" + n + "@127.0.0.1\r\nCSeq: " + n + " OPTIONS\r\nContent-Length: 0\r\n\r\n";
                byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
                probe.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
                try {
                    DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                    probe.receive(answer);
                    String text = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
                    // Any probe's answer will do: while Kamailio starts, probes queue up in its
                    // socket, and the answers to the old ones come first.
                    if (text.startsWith("SIP/2.0 200") && text.contains("branch=z9hG4bK-ready-")) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    // Not listening yet (or the datagram was lost): ask again.
                }
            }
        }
        fail("kamailio did not answer OPTIONS within " + KAMAILIO_READY.toSeconds() + " s" + kamailioLogTail());
    }

    /** SIGTERM, a bounded wait, then SIGKILL to it and any worker left behind. Idempotent. */
    private void stopKamailio() throws InterruptedException {
        Process p = kamailio;
        if (p == null) {
            return;
        }
        kamailio = null;
        List<ProcessHandle> workers = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(KAMAILIO_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(KAMAILIO_STOP.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (ProcessHandle worker : workers) {
            if (worker.isAlive()) {
                worker.destroyForcibly();
            }
        }
    }

    private String kamailioLogTail() {
        try {
            return kamailioLog == null || !Files.exists(kamailioLog) ? ""
                    : tail(Files.readString(kamailioLog, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return "\n(kamailio log unreadable: " + e + ")";
        }
    }

    private static String template(String name, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = KamailioTlsInteropTest.class.getResourceAsStream("kamailio/" + name)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("@" + e.getKey() + "@", e.getValue());
        }
        Matcher left = Pattern.compile("@(?!NAME@)[A-Z_]+@").matcher(text);
        if (left.find()) {
            throw new IllegalStateException(name + ": placeholder " + left.group() + " not filled in");
        }
        return text;
    }

    // ---- SIPp ----

    private Peers.Run sipp(int kamailioPort) throws IOException, InterruptedException {
        Path sipp = Peers.require("sipp");
        Path errors = dir.resolve("sipp-errors.log");
        List<String> cmd = new ArrayList<>(List.of(sipp.toString(),
                "127.0.0.1:" + kamailioPort, "-i", "127.0.0.1", "-p", "0", "-t", "u1",
                "-sn", "uac", "-m", String.valueOf(CALLS), "-r", "50", "-l", "10",
                "-nostdin", "-timeout", "25s", "-timeout_error", "-recv_timeout", "5000",
                "-trace_err", "-error_file", errors.toString()));
        Peers.Run run = Peers.run(dir, SIPP_TIMEOUT_S, cmd);
        String errorLog = Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "";
        return new Peers.Run(run.exitCode(), tail(run.output()) + "\n--- sipp error log ---" + tail(errorLog));
    }

    // ---- helpers ----

    /** Like {@link Peers#require} but for a package whose name differs from what is missing. */
    private static Path require(String what, String debianPackage) {
        if (what.equals(debianPackage)) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                for (String sub : List.of("", "../sbin")) {
                    Path p = Path.of(d, sub, what).normalize();
                    if (Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
        }
        String message = what + " is not installed (Debian: apt-get install " + debianPackage + ")";
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail(message);
        }
        assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** The end of a long log: enough to see why a peer failed without flooding the report. */
    private static String tail(String log) {
        return "\n" + (log.length() <= 4000 ? log : "..." + log.substring(log.length() - 4000));
    }
}
