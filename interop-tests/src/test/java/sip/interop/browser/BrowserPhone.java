package sip.interop.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import sip.interop.Peers;

/**
 * JsSIP in headless Chromium: the node driver {@code interop-tests/ws/browser/driver.mjs} run as a
 * process, told what to do with one JSON command per line ({@link #send}) and read back one JSON
 * event per line ({@link #await}). Chromium is a child of node: {@link #close} ends the whole
 * process tree, so a failing test leaves no browser behind.
 */
final class BrowserPhone implements AutoCloseable {

    /** Generous: Chromium's first start and JsSIP's first call on a loaded 2-core machine. */
    static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration LAUNCH_WITHIN = Duration.ofSeconds(90);
    /** The driver ends itself after this, whatever happens to the test. */
    private static final int DRIVER_DEADLINE_S = 300;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Events that mean the page or the driver went wrong, whatever a test waits for. */
    private static final Set<String> BROKEN = Set.of("error", "pageError", "deadline", "sdpRejected", "mediaFailed");

    private final Process process;
    private final Writer commands;
    private final Path stderr;
    private final List<BrowserEvent> events = new ArrayList<>();
    /** Per event name: how many of them {@link #await} has handed out. */
    private final Map<String, Integer> taken = new HashMap<>();
    private final Thread reader;

    private BrowserPhone(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name("browser-driver-" + process.pid()).start(this::readEvents);
    }

    /** Starts the driver (Chromium, the page) with its logs in {@code dir}; returns once the page is loaded. */
    static BrowserPhone launch(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            Peers.missing("chromium is not installed at " + CHROMIUM + " (Debian: apt-get install chromium)");
        }
        Path ws = NodeScripts.directory();
        Path stderr = Files.createTempFile(dir, "browser-driver", ".log");
        Process p = new ProcessBuilder(NodeScripts.node().toString(), "browser/driver.mjs",
                "--chromium", CHROMIUM.toString(), "--deadline", String.valueOf(DRIVER_DEADLINE_S))
                .directory(ws.toFile())
                .redirectError(stderr.toFile())
                .start();
        BrowserPhone phone = new BrowserPhone(p, stderr);
        try {
            phone.await("ready", LAUNCH_WITHIN);
        } catch (Throwable t) {
            phone.close();
            throw t;
        }
        return phone;
    }

    /** Sends command {@code cmd} with {@code keyValues} (name, value, ...; values strings or numbers). */
    void send(String cmd, Object... keyValues) throws IOException {
        StringBuilder json = new StringBuilder("{\"cmd\":").append(quote(cmd));
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            json.append(',').append(quote((String) keyValues[i])).append(':')
                    .append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
        }
        commands.write(json.append("}\n").toString());
        commands.flush();
    }

    /** The next event called {@code name} not returned before, waiting up to {@link #STEP}. */
    BrowserEvent await(String name) throws InterruptedException {
        return await(name, STEP);
    }

    /**
     * The next event called {@code name} not returned before, waiting {@code within}; fails with
     * the diagnostics if it does not come, the driver ends first or the page reports an error.
     */
    BrowserEvent await(String name, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (events) {
            while (true) {
                int skip = taken.getOrDefault(name, 0);
                for (BrowserEvent e : events) {
                    if (BROKEN.contains(e.name()) && !BROKEN.contains(name)) {
                        fail("the browser reported " + e.line() + " while the test waited for " + name + "\n" + diagnostics());
                    }
                    if (e.name().equals(name) && skip-- == 0) {
                        taken.merge(name, 1, Integer::sum);
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !reader.isAlive()) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(events, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
            }
        }
        fail("the browser reported no " + name + (reader.isAlive() ? " within " + within.toSeconds() + " s" : " before the driver ended")
                + "\n" + diagnostics());
        throw new AssertionError("unreachable");
    }

    /** Every event so far that matches. */
    List<BrowserEvent> events(Predicate<BrowserEvent> which) {
        synchronized (events) {
            return events.stream().filter(which).toList();
        }
    }

    /** Every event so far and the end of the driver's stderr (the page's console: JsSIP's debug log). */
    String diagnostics() {
        String err;
        try {
            err = Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err = "(unreadable: " + e + ")";
        }
        List<String> lines;
        synchronized (events) {
            lines = events.stream().map(BrowserEvent::line).toList();
        }
        return "--- browser events ---\n" + String.join("\n", lines) + "\n--- browser driver stderr (end) ---\n"
                + (err.length() <= 6000 ? err : "..." + err.substring(err.length() - 6000));
    }

    /** Asks the driver to quit (it closes Chromium), then kills whatever of the tree is left. */
    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();   // end of stdin: the driver quits
        } catch (IOException alreadyGone) {
            // The driver ended: nothing to tell it.
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // Chromium's helpers outlive a driver that was killed; none may stay.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void readEvents() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                BrowserEvent e;
                try {
                    e = BrowserEvent.parse(line);
                } catch (IllegalArgumentException notJson) {
                    e = new BrowserEvent("error", Map.of("message", "stdout line not an event"), line);
                }
                synchronized (events) {
                    events.add(e);
                    events.notifyAll();
                }
            }
        } catch (IOException closed) {
            // Killed: what it printed is kept.
        } finally {
            synchronized (events) {
                events.notifyAll();
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
