package sip.interop.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import sip.interop.Peers;
import sip.interop.ws.Json;
import sip.interop.ws.NodePeers;
import sip.interop.ws.NodeProcess;

/**
 * JsSIP in headless Chromium: the node driver {@code interop-tests/ws/browser/driver.mjs} run as a
 * {@link NodeProcess}, told what to do with one JSON command per line ({@link #send}) and read
 * back one JSON event per line ({@link #await}). Chromium is a child of node: {@link #close} asks
 * the driver to quit, then ends whatever is left of the process tree, so a failing test leaves
 * no browser behind.
 */
final class BrowserPhone implements AutoCloseable {

    /** Generous: Chromium's first start and JsSIP's first call on a loaded 2-core machine. */
    static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration LAUNCH_WITHIN = Duration.ofSeconds(90);
    /** The driver is killed after this, whatever happens to the test; it ends itself a little later. */
    private static final Duration DRIVER_DEADLINE = Duration.ofMinutes(5);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /**
     * Events that end a wait for anything else at once: the page or the driver went wrong, or a
     * call or registration failed (a test expecting that failure waits for it by name).
     */
    private static final Set<String> BROKEN = Set.of("error", "pageError", "deadline", "sdpRejected", "mediaFailed",
            "failed", "registrationFailed");

    private final NodeProcess driver;
    /** Per event name: how many of them {@link #await} has handed out. */
    private final Map<String, Integer> taken = new HashMap<>();

    private BrowserPhone(NodeProcess driver) {
        this.driver = driver;
    }

    /** Starts the driver (Chromium, the page) with its logs in {@code dir}; returns once the page is loaded. */
    static BrowserPhone launch(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            Peers.missing("chromium is not installed at " + CHROMIUM + " (Debian: apt-get install chromium)");
        }
        NodeProcess driver = NodePeers.start(dir, DRIVER_DEADLINE, Map.of(), "browser/driver.mjs",
                "--chromium", CHROMIUM.toString(), "--deadline", String.valueOf(DRIVER_DEADLINE.plusSeconds(30).toSeconds()));
        BrowserPhone phone = new BrowserPhone(driver);
        try {
            phone.await("ready", LAUNCH_WITHIN);
        } catch (Throwable t) {
            driver.close();
            throw t;
        }
        return phone;
    }

    /** Sends command {@code cmd} with {@code keyValues} (name, value, ...; values strings or numbers). */
    void send(String cmd, Object... keyValues) throws IOException {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("cmd", cmd);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            command.put((String) keyValues[i], keyValues[i + 1]);
        }
        driver.writeLine(Json.write(command));
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
        int skip = taken.getOrDefault(name, 0);
        // Each line is offered once per call, in order: the (skip+1)th of the name, or a breakage.
        Predicate<String> wanted = new Predicate<>() {
            private int seen;

            @Override
            public boolean test(String line) {
                if (BROKEN.stream().anyMatch(b -> BrowserEvent.is(line, b))) {
                    return true;
                }
                return BrowserEvent.is(line, name) && seen++ == skip;
            }
        };
        String line;
        try {
            line = driver.awaitLine(wanted, within);
        } catch (AssertionError none) {
            // Said again with the name and the shorter diagnostics (JsSIP's debug log is long).
            fail("the browser reported no " + name + " within " + within.toSeconds() + " s (or its driver ended)\n" + diagnostics());
            throw none;
        }
        BrowserEvent e = BrowserEvent.parse(line);
        if (!e.name().equals(name)) {
            fail("the browser reported " + e.line() + " while the test waited for " + name + "\n" + diagnostics());
        }
        taken.put(name, skip + 1);
        return e;
    }

    /** Every event so far that matches. */
    List<BrowserEvent> events(Predicate<BrowserEvent> which) {
        return driver.stdout().stream().filter(l -> l.startsWith("{")).map(BrowserEvent::parse).filter(which).toList();
    }

    /** Every event so far and the end of the driver's stderr (the page's console: JsSIP's debug log). */
    String diagnostics() {
        String err = driver.stderr();
        return "--- browser events ---\n" + String.join("\n", driver.stdout()) + "\n--- browser driver stderr (end) ---\n"
                + (err.length() <= 6000 ? err : "..." + err.substring(err.length() - 6000));
    }

    /** Asks the driver to quit (it closes Chromium and says so), then kills whatever of the tree is left. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (driver.isAlive()) {
                send("quit");
                driver.awaitLine(l -> BrowserEvent.is(l, "quitting"), Duration.ofSeconds(15));
            }
        } catch (IOException | AssertionError gone) {
            // It ended or does not answer: killed below all the same.
        } finally {
            driver.close();
        }
    }
}
