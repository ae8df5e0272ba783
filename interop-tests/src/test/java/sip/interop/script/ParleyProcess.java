package sip.interop.script;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sip.interop.Peers;

/**
 * The real {@code parley} launcher ({@code distribution/target/parley/bin/parley}, which the
 * reactor builds before this module) running a script, as an operator runs it:
 * {@code parley run SCRIPT --listen udp:127.0.0.1:P --listen tcp:127.0.0.1:P}, or with the
 * listeners given ({@code wss:127.0.0.1:Q} and {@code --tls-cert}/{@code --tls-key} for a
 * browser phone, say). The one launcher of the interop tests. Its stdout is read
 * line by line as it comes (the contract lines {@code parley: ready}, {@code parley: loaded ...},
 * {@code parley: reload rejected: ...}, {@code parley: stopped}); stderr (the logs) goes to a
 * file; both are in {@link #diagnostics()}. {@link #close()} kills it and whatever it started, so
 * a failing test leaves nothing running.
 */
public final class ParleyProcess implements AutoCloseable {

    /** Generous: the first start of a JVM with GraalJS on a loaded 2-core machine. */
    static final Duration START_WITHIN = Duration.ofSeconds(120);
    static final Duration LINE_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final Path stderr;
    /** The {@code --listen} values, {@code PROTOCOL:HOST:PORT}, in order. */
    private final List<String> listens;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ParleyProcess(Process process, Path stderr, List<String> listens) {
        this.process = process;
        this.stderr = stderr;
        this.listens = List.copyOf(listens);
        this.reader = Thread.ofPlatform().daemon().name("parley-stdout-" + process.pid()).start(this::readStdout);
    }

    /** The launcher the reactor built; fails (not skips) when it is missing: it is part of the build. */
    static Path launcher() {
        Path root = repositoryRoot();
        Path launcher = root.resolve("distribution/target/parley/bin/parley");
        if (!Files.isExecutable(launcher)) {
            fail("no parley launcher at " + launcher + ": build it with ./mvnw -B -pl interop-tests -am verify"
                    + " (interop-tests depends on distribution)");
        }
        return launcher;
    }

    /** Starts {@code parley run script} on {@code port} (UDP and TCP on 127.0.0.1) and waits for {@code parley: ready}. */
    public static ParleyProcess run(Path dir, Path script, int port, String... extra) throws IOException, InterruptedException {
        return run(dir, script, List.of("udp:127.0.0.1:" + port, "tcp:127.0.0.1:" + port), extra);
    }

    /**
     * Starts {@code parley run script --listen L...} with the {@code listens} given
     * ({@code PROTOCOL:HOST:PORT} each, e.g. {@code wss:127.0.0.1:8443}) and {@code extra}
     * arguments after them (e.g. {@code --tls-cert}, {@code --tls-key}), in {@code dir}; waits
     * for {@code parley: ready}. Parley watches the script's directory: give it one of its own.
     */
    public static ParleyProcess run(Path dir, Path script, List<String> listens, String... extra)
            throws IOException, InterruptedException {
        // env resets the signals this test sends to their defaults: a build started under nohup (or
        // as a background job) hands SIGHUP (SIGINT) down ignored, and a JVM started with a signal
        // ignored keeps ignoring it, whatever parley asks for.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,TERM", launcher().toString(), "run",
                script.toString()));
        for (String listen : listens) {
            cmd.addAll(List.of("--listen", listen));
        }
        cmd.addAll(List.of(extra));
        Path stderr = Files.createTempFile(dir, "parley-stderr", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ParleyProcess parley = new ParleyProcess(p, stderr, listens);
        try {
            parley.awaitLine("parley: ready", START_WITHIN);
        } catch (Throwable t) {
            parley.close();
            throw t;
        }
        return parley;
    }

    /** Runs {@code parley args...} (another command of the launcher) to its end, within 2 minutes. */
    static Peers.Run command(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "parley-command", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("parley " + String.join(" ", args) + " did not end within 2 minutes:\n" + Files.readString(out));
        }
        return new Peers.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The port of the first listener (UDP and TCP share it when started with one port). */
    int port() {
        return portOf(listens.getFirst());
    }

    /** The port of the first listener of {@code protocol} ({@code udp}, {@code wss}, ...). */
    public int port(String protocol) {
        for (String listen : listens) {
            if (listen.startsWith(protocol + ":")) {
                return portOf(listen);
            }
        }
        throw new IllegalArgumentException("parley does not listen on " + protocol + ": " + listens);
    }

    private static int portOf(String listen) {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Every stdout line so far. */
    List<String> stdout() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * The first stdout line matching {@code regex} as a whole, waiting for it {@code within};
     * fails with the diagnostics if it does not come or parley ends first.
     */
    Matcher awaitLine(String regex, Duration within) throws InterruptedException {
        return awaitLine(regex, 1, within);
    }

    /** The {@code nth} stdout line matching {@code regex}, waiting for it {@code within}, as {@link #awaitLine(String, Duration)}. */
    Matcher awaitLine(String regex, int nth, Duration within) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lines) {
            for (int seen = 0, matched = 0; ; ) {
                for (; seen < lines.size(); seen++) {
                    Matcher m = p.matcher(lines.get(seen));
                    if (m.matches() && ++matched == nth) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!reader.isAlive() && seen == lines.size())) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
        String why = reader.isAlive() ? "within " + within.toSeconds() + " s" : "before its stdout ended (" + exitStatus() + ")";
        fail("parley printed no line matching " + regex + (nth > 1 ? " (the " + nth + "th)" : "") + " " + why + ":\n"
                + diagnostics());
        throw new AssertionError("unreachable");
    }

    /**
     * Sends {@code signal} (TERM, INT, HUP) to the launcher's process and, for TERM and INT, waits
     * for it to end (30 s); returns its exit code, or -1 when it was only signalled.
     */
    int signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -s " + signal + " " + process.pid() + " failed");
        }
        if (signal.equals("HUP")) {
            return -1;
        }
        return awaitExit();
    }

    /**
     * Ends it with SIGTERM and returns its exit code. Sent with {@code kill}, not
     * {@link Process#destroy}, which also closes our end of its stdout: the last lines
     * ({@code parley: stopped}) would be lost.
     */
    int terminate() throws IOException, InterruptedException {
        return signal("TERM");
    }

    private String exitStatus() throws InterruptedException {
        return process.waitFor(10, TimeUnit.SECONDS) ? "exit " + process.exitValue() : "still running";
    }

    private int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("parley did not end within 30 s of its signal:\n" + diagnostics());
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** Its stdout and the end of its stderr, for failure messages. */
    public String diagnostics() {
        String err;
        try {
            err = Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err = "(stderr unreadable: " + e + ")";
        }
        return "--- parley stdout ---\n" + String.join("\n", stdout()) + "\n--- parley stderr ---\n" + SipPeers.tail(err);
    }

    /** Kills it and whatever it started. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException closed) {
            // The process was killed: what it printed is kept.
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /** The first directory above the test classes holding {@code mvnw}. */
    public static Path repositoryRoot() {
        try {
            Path p = Path.of(ParleyProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("mvnw"))) {
                    return p;
                }
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no repository root (mvnw) above the test classes");
    }
}
