package sip.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Kamailio 5.6 run by a test: a config template from
 * {@code resources/sip/interop/kamailio/} with its {@code @NAME@} placeholders filled in, in
 * the foreground, on a free UDP port of 127.0.0.1, from the test's temp dir, logging to a file.
 * {@link #close} stops it (SIGTERM, then SIGKILL to it and its workers).
 */
final class Kamailio implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(15);
    private static final Duration STOP = Duration.ofSeconds(5);
    private static final List<String> MODULE_DIRS = List.of(
            "/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules",
            "/usr/lib/kamailio/modules", "/usr/lib64/kamailio/modules",
            "/usr/local/lib/kamailio/modules", "/usr/local/lib64/kamailio/modules");

    private final Process process;
    private final Path log;
    private final int port;

    private Kamailio(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts Kamailio with {@code template}, {@code values} filled in besides {@code UDP_PORT}
     * and {@code MODULE_PATH}; returns once it answers OPTIONS. Skipped (failed in CI) when
     * Kamailio is not installed.
     */
    static Kamailio start(Path dir, String template, Map<String, String> values) throws Exception {
        Path binary = binary();
        Path modules = MODULE_DIRS.stream().map(Path::of)
                .filter(d -> Files.isRegularFile(d.resolve("tm.so"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("kamailio is installed but tm.so is nowhere in " + MODULE_DIRS));
        int port = Sipp.freePort("udp");
        Map<String, String> all = new HashMap<>(values);
        all.put("UDP_PORT", String.valueOf(port));
        all.put("MODULE_PATH", modules.toString());
        Path cfg = dir.resolve(template);
        Files.writeString(cfg, fill(template, all));
        Path runDir = Files.createDirectories(dir.resolve("kamailio-run"));
        Path log = dir.resolve("kamailio.log");
        // -DD: foreground; -E: log to stderr; -Y/-w: runtime and working dir here (no pid file or
        // socket in /run); small shared/private memory for a test.
        Process p = new ProcessBuilder(binary.toString(), "-f", cfg.toString(), "-DD", "-E",
                "-Y", runDir.toString(), "-w", dir.toString(), "-m", "32", "-M", "8")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        Kamailio k = new Kamailio(p, log, port);
        try {
            k.awaitReady();
        } catch (Throwable t) {
            k.close();
            throw t;
        }
        return k;
    }

    int port() {
        return port;
    }

    /** Everything Kamailio logged so far. */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Lines of the log matching {@code regex}. */
    long count(String regex) throws IOException {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(log());
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    String logTail() {
        try {
            return "\n--- kamailio log ---\n" + SippCalls.tail(log());
        } catch (IOException e) {
            return "\n(kamailio log unreadable: " + e + ")";
        }
    }

    /** Sends OPTIONS (no user part: Kamailio answers it itself) until a 200 to one comes back. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            probe.setSoTimeout(200);
            byte[] buffer = new byte[4096];
            for (int n = 1; System.nanoTime() < deadline; n++) {
                if (!process.isAlive()) {
                    fail("kamailio exited with " + process.exitValue() + " before it was ready" + logTail());
                }
                String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.getLocalPort() + ";branch=z9hG4bK-ready-" + n + ";rport\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:127.0.0.1>\r\n"
                        + "Call-ID: ready-" + n + "@127.0.0.1\r\nCSeq: " + n + " OPTIONS\r\nContent-Length: 0\r\n\r\n";
                byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
                probe.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
                try {
                    DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                    probe.receive(answer);
                    String text = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
                    // Any probe's answer will do: answers to earlier probes may come first.
                    if (text.startsWith("SIP/2.0 200") && text.contains("branch=z9hG4bK-ready-")) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    // Not listening yet, or the datagram was lost: ask again.
                }
            }
        }
        fail("kamailio did not answer OPTIONS within " + READY.toSeconds() + " s" + logTail());
    }

    /** SIGTERM, a bounded wait, then SIGKILL to it and any worker left behind. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (ProcessHandle worker : workers) {
            if (worker.isAlive()) {
                worker.destroyForcibly();
            }
        }
    }

    private static Path binary() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String sub : List.of("", "../sbin")) {
                Path p = Path.of(d, sub, "kamailio").normalize();
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String message = "kamailio is not installed (Debian: apt-get install kamailio)";
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail(message);
        }
        assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    private static String fill(String name, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = Kamailio.class.getResourceAsStream("kamailio/" + name)) {
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
}
