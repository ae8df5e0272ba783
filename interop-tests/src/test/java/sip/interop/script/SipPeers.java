package sip.interop.script;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The real SIP peers the {@code parley} process is tested with, sipsak and SIPp, run in one
 * directory with a deadline: found on PATH or the test is skipped ({@code PARLEY_REQUIRE_PEERS=1},
 * as {@code .ci/run} sets it, fails it instead). SIPp {@code NAME} keeps its statistics in
 * {@code NAME-stats.csv}, its messages in {@code NAME-messages.log}, its errors in
 * {@code NAME-errors.log}. (The same rules as {@code sip.interop.Peers}, which is package-private.)
 */
final class SipPeers {

    static final long PEER_TIMEOUT_S = 120;

    private final Path dir;

    SipPeers(Path dir) {
        this.dir = dir;
    }

    /** What a peer did: its exit code and everything it printed. */
    record Run(int exitCode, String output) {}

    /** A peer running in the background; {@link #close} kills it if it is still there. */
    static final class Started implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Path log;

        private Started(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        }

        /** Waits for it to end; kills it and fails after {@code seconds}. */
        Run await(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                close();
                fail(name + " did not finish within " + seconds + " s:\n" + tail(output()));
            }
            return new Run(process.exitValue(), output());
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The executable {@code name} on PATH, or the test is skipped (failed in CI). */
    static Path require(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = name + " is not installed (Debian: apt-get install "
                + ("sipp".equals(name) ? "sip-tester" : name) + ")";
        if ("1".equals(System.getenv("PARLEY_REQUIRE_PEERS"))) {
            fail(message);
        }
        assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    Started start(String name, List<String> command) throws IOException {
        Path log = Files.createTempFile(dir, name, ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new Started(name, p, log);
    }

    Run run(String name, List<String> command) throws IOException, InterruptedException {
        try (Started s = start(name, command)) {
            return s.await(PEER_TIMEOUT_S);
        }
    }

    /**
     * sipsak (usrloc mode) binds {@code contact} to {@code sip:USER@127.0.0.1} at parley on
     * {@code port}. The port goes in {@code -r}: sipsak cuts a five-digit port in {@code -s}.
     */
    Run register(String user, String contact, int port, String protocol) throws IOException, InterruptedException {
        return run("sipsak", List.of(require("sipsak").toString(), "-vvv", "-i", "--transport=" + protocol,
                "-s", "sip:" + user + "@127.0.0.1", "-r", String.valueOf(port), "-U", "-C", contact, "-x", "300"));
    }

    /**
     * A SIPp scenario from the test resources ({@code NAME} beside this class, {@code /NAME} from
     * the root), with each pair of {@code edits} (text, replacement) applied, written here as
     * {@code as}.
     */
    Path scenario(String resource, String as, String... edits) throws IOException {
        String text;
        try (InputStream in = SipPeers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i + 1 < edits.length; i += 2) {
            text = text.replace(edits[i], edits[i + 1]);
        }
        Path target = dir.resolve(as);
        Files.writeString(target, text, StandardCharsets.ISO_8859_1);
        return target;
    }

    /** Starts SIPp {@code name} as a UAS of {@code scenario} on 127.0.0.1:{@code port} for {@code calls} calls; returns once it listens. */
    Started uas(String name, Path scenario, String transport, int port, int calls) throws IOException, InterruptedException {
        List<String> cmd = sipp(name, scenario, transport);
        cmd.addAll(List.of("-p", String.valueOf(port), "-m", String.valueOf(calls)));
        Started s = start(name, cmd);
        try {
            awaitBound(s, transport, port);
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    /** Runs SIPp {@code name} as a UAC: {@code calls} calls of {@code scenario} to {@code user} through parley on {@code port}. */
    Run uac(String name, Path scenario, String transport, int port, String user, int calls, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = sipp(name, scenario, transport);
        cmd.addAll(List.of("127.0.0.1:" + port, "-s", user, "-p", "0", "-m", String.valueOf(calls),
                "-r", "20", "-l", "10", "-d", "0", "-recv_timeout", "10000"));
        cmd.addAll(Arrays.asList(extra));
        return run(name, cmd);
    }

    /** SIPp {@code name}'s calls that reached the end of its scenario (its last statistics line). */
    long successfulCalls(String name, String output) throws IOException {
        return statistic(name, output, "SuccessfulCall(C)");
    }

    long failedCalls(String name, String output) throws IOException {
        return statistic(name, output, "FailedCall(C)");
    }

    private long statistic(String name, String output, String column) throws IOException {
        Path csv = dir.resolve(name + "-stats.csv");
        if (!Files.exists(csv)) {
            fail("SIPp wrote no statistics file " + csv + ":\n" + tail(output));
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
        if (lines.size() < 2) {
            fail("SIPp's statistics file has no data line: " + lines + "\n" + tail(output));
        }
        List<String> names = Arrays.asList(lines.getFirst().split(";", -1));
        String[] last = lines.getLast().split(";", -1);
        int i = names.indexOf(column);
        if (i < 0 || i >= last.length) {
            throw new AssertionError("no column " + column + " in SIPp's statistics: " + names);
        }
        return Long.parseLong(last[i].trim());
    }

    /** Every message SIPp {@code name} received, as text. */
    List<String> received(String name) throws IOException {
        Path log = dir.resolve(name + "-messages.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("message received \\[\\d+\\] bytes :\\s*(.*?)(?=\\r?\\n-{20,}|\\z)",
                java.util.regex.Pattern.DOTALL).matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            messages.add(m.group(1));
        }
        return messages;
    }

    /** SIPp {@code name}'s exit code, the end of its output and of its error log. */
    String report(String name, Run run) throws IOException {
        Path errors = dir.resolve(name + "-errors.log");
        return name + " exit " + run.exitCode() + "\n" + tail(run.output()) + "\n--- " + name + " error log ---\n"
                + (Files.exists(errors) ? tail(Files.readString(errors, StandardCharsets.ISO_8859_1)) : "");
    }

    private List<String> sipp(String name, Path scenario, String transport) {
        return new ArrayList<>(List.of(require("sipp").toString(),
                "-sf", scenario.toString(), "-i", "127.0.0.1", "-t", transport.equals("tcp") ? "t1" : "u1",
                "-nostdin", "-max_socket", "100", "-timeout", "90s", "-timeout_error",
                "-trace_stat", "-stf", dir.resolve(name + "-stats.csv").toString(),
                "-trace_msg", "-message_file", dir.resolve(name + "-messages.log").toString(),
                "-trace_err", "-error_file", dir.resolve(name + "-errors.log").toString()));
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now (parley listens on both). */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                return udp.getLocalPort();
            } catch (java.net.BindException taken) {
                // The UDP port's TCP twin is in use: try another.
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1 in 50 attempts");
    }

    /**
     * Returns once {@code peer} has bound {@code port} on 127.0.0.1 (read from the kernel's socket
     * tables: SIPp prints nothing when it is ready). Fails after 10 s.
     */
    static void awaitBound(Started peer, String protocol, int port) throws IOException, InterruptedException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!peer.process.isAlive()) {
                fail(peer.name + " exited before listening on " + protocol + " " + port + ":\n" + tail(peer.output()));
            }
            for (String line : Files.readAllLines(Path.of("/proc/net", protocol))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].equals(local) && (protocol.equals("udp") || f[3].equals("0A"))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        fail(peer.name + " did not listen on " + protocol + " " + port + " within 10 s:\n" + tail(peer.output()));
    }

    static String tail(String log) {
        return log.length() <= 3000 ? log : "..." + log.substring(log.length() - 3000);
    }
}
