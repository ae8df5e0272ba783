package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sip.interop.Peers;

/**
 * Node peers: Node itself ({@code node} on PATH; missing, the test is skipped, or failed under
 * {@code PARLEY_REQUIRE_PEERS=1}) and the npm packages pinned in {@code interop-tests/ws}
 * ({@code package.json} + {@code package-lock.json}). When those are not installed (a fresh
 * clone: {@code node_modules} is not in git) the first test that needs them runs
 * {@code npm ci --prefix interop-tests/ws} once for the JVM, within {@link #NPM_CI_WITHIN},
 * under a file lock so that parallel test JVMs do not install over each other. Scripts run with
 * {@link #start} / {@link #run}, always with a deadline. Public for {@code sip.interop.browser}.
 */
public final class NodePeers {

    /** Generous: npm ci fetches a few MB (playwright-core is the big one) on a cold cache. */
    public static final Duration NPM_CI_WITHIN = Duration.ofMinutes(5);

    private static final Pattern DEPENDENCIES = Pattern.compile("\"dependencies\"\\s*:\\s*\\{([^}]*)}");
    private static final Pattern ENTRY = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

    /** Set once npm ci ran in this JVM (or was not needed): null until then, else why it failed ("" when fine). */
    private static String installed;

    private NodePeers() {
    }

    /** The {@code node} executable; skips the test (fails it in CI) when there is none. */
    public static Path node() {
        return Peers.require("node");
    }

    /** {@code interop-tests/ws}: the scripts, {@code package.json} and {@code node_modules}. */
    public static Path directory() {
        try {
            Path p = Path.of(NodePeers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("ws/package.json"))) {
                    return p.resolve("ws");
                }
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no ws/package.json above the test classes");
    }

    /**
     * Makes sure every dependency of {@code package.json} is in {@code node_modules} at its pinned
     * version, running {@code npm ci} (once per JVM) when one is not. Skips the test (fails it in
     * CI) when npm is missing or cannot install them (offline, say).
     */
    public static synchronized void requireInstalled() throws IOException, InterruptedException {
        node();
        if (installed == null) {
            installed = install(directory());
        }
        if (!installed.isEmpty()) {
            Peers.missing(installed);
        }
    }

    /** Which pinned packages are not in {@code node_modules} at their version (empty: all are). */
    static List<String> missingPackages(Path dir) throws IOException {
        Matcher deps = DEPENDENCIES.matcher(Files.readString(dir.resolve("package.json")));
        if (!deps.find()) {
            throw new IllegalStateException("no dependencies in " + dir.resolve("package.json"));
        }
        List<String> missing = new ArrayList<>();
        for (Matcher e = ENTRY.matcher(deps.group(1)); e.find(); ) {
            Path manifest = dir.resolve("node_modules").resolve(e.group(1)).resolve("package.json");
            Matcher version = Files.isRegularFile(manifest) ? VERSION.matcher(Files.readString(manifest)) : null;
            if (version == null || !version.find() || !version.group(1).equals(e.group(2))) {
                missing.add(e.group(1) + "@" + e.group(2));
            }
        }
        return missing;
    }

    /** "" when installed; else why not. */
    private static String install(Path dir) throws IOException, InterruptedException {
        if (missingPackages(dir).isEmpty()) {
            return "";
        }
        Path target = dir.resolveSibling("target");
        Files.createDirectories(target);
        // Another test JVM may be installing right now: wait for it, then look again.
        try (FileChannel lockFile = FileChannel.open(target.resolve("npm-ci.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            List<String> missing = missingPackages(dir);
            if (missing.isEmpty()) {
                return "";
            }
            Path npm = Peers.require("npm");
            Path log = target.resolve("npm-ci.log");
            Process p = new ProcessBuilder(npm.toString(), "ci", "--prefix", dir.toString(), "--no-audit", "--no-fund")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(NPM_CI_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return "npm ci --prefix " + dir + " did not finish within " + NPM_CI_WITHIN.toSeconds() + " s: " + tail(log);
            }
            if (p.exitValue() != 0 || !missingPackages(dir).isEmpty()) {
                return "npm ci --prefix " + dir + " failed (exit " + p.exitValue() + ", missing " + missingPackages(dir) + "): " + tail(log);
            }
            return "";
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    }

    /**
     * Starts {@code node SCRIPT args...} ({@code script} relative to {@link #directory()}, e.g.
     * {@code "sip-ws-client.mjs"} or {@code "browser/driver.mjs"}) in {@code workDir} with
     * {@code env} added to this JVM's environment; it must end {@code within}.
     */
    public static NodeProcess start(Path workDir, Duration within, Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        requireInstalled();
        Path file = directory().resolve(script);
        if (!Files.isRegularFile(file)) {
            fail("no node script " + file);
        }
        List<String> cmd = new ArrayList<>(List.of(node().toString(), file.toString()));
        cmd.addAll(List.of(args));
        Path stderr = Files.createTempFile(workDir, "node-stderr", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(stderr.toFile());
        pb.environment().putAll(new LinkedHashMap<>(env));
        return new NodeProcess(script, pb.start(), stderr, within);
    }

    /** Runs {@code node SCRIPT args...} to its end, as {@link #start}; fails if it runs past {@code within}. */
    public static NodeProcess.Run run(Path workDir, Duration within, Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        try (NodeProcess node = start(workDir, within, env, script, args)) {
            return node.await();
        }
    }
}
