package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A node script running as a peer ({@link NodePeers#start}): its stdout read line by line as it
 * comes (the scripts print one JSON object per line), its stderr kept in a file, its stdin open
 * for a test that steers it, and a deadline: {@link #await} kills it and fails once the deadline
 * has passed, {@link #close} kills it and whatever it started, so a failing test leaves nothing
 * running. Public for {@code sip.interop.browser}.
 */
public final class NodeProcess implements AutoCloseable {

    /** What a node script did: its exit code, its stdout lines and its stderr. */
    public record Run(int exitCode, List<String> stdout, String stderr) {

        /** The stdout lines that are JSON objects, in order (a stray line of another form is skipped). */
        public List<java.util.Map<String, Object>> objects() {
            List<java.util.Map<String, Object>> out = new ArrayList<>();
            for (String line : stdout) {
                if (line.startsWith("{")) {
                    out.add(Json.object(line));
                }
            }
            return out;
        }

        /** Everything, for failure messages. */
        public String report() {
            return "exit " + exitCode + "\n--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n" + stderr;
        }
    }

    private final String name;
    private final Process process;
    private final Path stderr;
    private final long deadline;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    NodeProcess(String name, Process process, Path stderr, Duration within) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.deadline = System.nanoTime() + within.toNanos();
        this.reader = Thread.ofVirtual().name("node-stdout-" + process.pid()).start(this::readStdout);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every stdout line so far. */
    public List<String> stdout() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Its stderr so far. */
    public String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /**
     * The first stdout line matching {@code wanted}, waiting for it up to {@code within} (and
     * never past the deadline); fails with what it printed when it does not come, or when the
     * script ends first.
     */
    public String awaitLine(Predicate<String> wanted, Duration within) throws InterruptedException {
        long until = Math.min(deadline, System.nanoTime() + within.toNanos());
        synchronized (lines) {
            for (int seen = 0; ; ) {
                for (; seen < lines.size(); seen++) {
                    if (wanted.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = until - System.nanoTime();
                if (left <= 0 || !reader.isAlive()) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
        fail(name + " printed no awaited line " + (reader.isAlive() ? "in time" : "before its stdout ended") + ":\n"
                + String.join("\n", stdout()) + "\n--- stderr ---\n" + stderr());
        throw new AssertionError("unreachable");
    }

    /** The first stdout line that is a JSON object with {@code "event": event}, as {@link #awaitLine}. */
    public java.util.Map<String, Object> awaitEvent(String event, Duration within) throws InterruptedException {
        String quoted = "\"event\":" + Json.write(event);
        return Json.object(awaitLine(l -> l.startsWith("{") && l.contains(quoted) && event.equals(Json.object(l).get("event")), within));
    }

    /** Writes {@code line} to its stdin. */
    public void writeLine(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for it to end, at most until its deadline; then kills it and fails. */
    public Run await() throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
            close();
            fail(name + " did not end within its deadline:\n" + String.join("\n", stdout()) + "\n--- stderr ---\n" + stderr());
        }
        // Its stdout is at its end once it exited; the reader has at most the last lines to take.
        reader.join(Duration.ofSeconds(10));
        return new Run(process.exitValue(), stdout(), stderr());
    }

    /** Kills it (and anything it started) if it still runs. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // The pipe closed with the process.
        }
        reader.join(Duration.ofSeconds(10));
    }

    private void readStdout() {
        try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8)) {
            in.lines().forEach(this::add);
        } catch (IOException | java.io.UncheckedIOException killed) {
            // What it printed before is kept.
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    private void add(String line) {
        synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
        }
    }
}
