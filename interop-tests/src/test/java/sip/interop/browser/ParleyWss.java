package sip.interop.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sip.interop.Sipp;
import sip.interop.ws.NodePeers;
import sip.testkit.TestCertificateAuthority;

/**
 * The real {@code parley} launcher running a copy of {@code examples/proxy.js} as a browser phone's
 * operator would: {@code parley run proxy.js --listen udp:127.0.0.1:P --listen tcp:127.0.0.1:T
 * --listen wss:127.0.0.1:Q --tls-cert chain.pem --tls-key key.pem}. TCP is there for requests too
 * big for UDP (a browser's INVITE: RFC 3261 §18.1.1). Stdout is kept for failure messages, stderr (the logs)
 * goes to a file. {@link #close} kills it and its children.
 */
final class ParleyWss implements AutoCloseable {

    /** The first start of a JVM with GraalJS on a loaded 2-core machine. */
    private static final Duration START_WITHIN = Duration.ofSeconds(120);

    private final Process process;
    private final Path stderr;
    private final List<String> stdout = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final int udpPort;
    private final int wssPort;

    private ParleyWss(Process process, Path stderr, int udpPort, int wssPort) {
        this.process = process;
        this.stderr = stderr;
        this.udpPort = udpPort;
        this.wssPort = wssPort;
        Thread.ofPlatform().daemon().name("parley-stdout-" + process.pid()).start(this::readStdout);
    }

    /** Starts parley in {@code dir} with UDP, TCP and WSS on 127.0.0.1 ports of their own; returns once it is ready. */
    static ParleyWss start(Path dir, TestCertificateAuthority.Issued certificate)
            throws IOException, InterruptedException {
        int udpPort = Sipp.freePort("udp");
        int tcpPort = Sipp.freePort("tcp");
        int wssPort = Sipp.freePort("tcp");
        while (wssPort == tcpPort) {
            wssPort = Sipp.freePort("tcp");
        }
        Path root = repositoryRoot();
        Path launcher = root.resolve("distribution/target/parley/bin/parley");
        if (!Files.isExecutable(launcher)) {
            fail("no parley launcher at " + launcher + ": build it with ./mvnw -B -pl interop-tests -am verify");
        }
        // A directory of its own: parley watches the script's directory.
        Path script = Files.createDirectories(dir.resolve("script")).resolve("proxy.js");
        Files.copy(root.resolve("examples/proxy.js"), script);
        Path stderr = Files.createTempFile(dir, "parley-stderr", ".log");
        Process p = new ProcessBuilder(launcher.toString(), "run", script.toString(),
                "--listen", "udp:127.0.0.1:" + udpPort, "--listen", "tcp:127.0.0.1:" + tcpPort,
                "--listen", "wss:127.0.0.1:" + wssPort,
                "--tls-cert", certificate.chain().toString(), "--tls-key", certificate.key8().toString())
                .directory(dir.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ParleyWss parley = new ParleyWss(p, stderr, udpPort, wssPort);
        try {
            parley.ready.get(START_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            String why = diagnosticsOf(parley);
            parley.close();
            fail("parley did not print 'parley: ready' within " + START_WITHIN.toSeconds() + " s:\n" + why);
        }
        return parley;
    }

    int udpPort() {
        return udpPort;
    }

    /** The URL a browser phone connects to. */
    String wssUrl() {
        return "wss://127.0.0.1:" + wssPort;
    }

    /** Its stdout and the end of its stderr, for failure messages. */
    String diagnostics() {
        return diagnosticsOf(this);
    }

    private static String diagnosticsOf(ParleyWss parley) {
        String err;
        try {
            err = Files.readString(parley.stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err = "(unreadable: " + e + ")";
        }
        List<String> out;
        synchronized (parley.stdout) {
            out = List.copyOf(parley.stdout);
        }
        return "--- parley stdout ---\n" + String.join("\n", out) + "\n--- parley stderr (end) ---\n"
                + (err.length() <= 4000 ? err : "..." + err.substring(err.length() - 4000));
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (stdout) {
                    stdout.add(line);
                }
                if (line.equals("parley: ready")) {
                    ready.complete(null);
                }
            }
        } catch (IOException killed) {
            // What it printed is kept.
        } finally {
            ready.completeExceptionally(new IOException("parley's stdout ended"));
        }
    }

    /** The repository root: {@code interop-tests/ws} (found by NodePeers) is two levels below it. */
    static Path repositoryRoot() {
        return NodePeers.directory().getParent().getParent();
    }
}
