package sip.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIPp processes for the proxy tests, several at once in one directory: UASes started in the
 * background (listening before this returns), UACs run to their end. Each SIPp has a name, and
 * its statistics ({@code NAME-stats.csv}), errors ({@code NAME-errors.log}) and messages
 * ({@code NAME-messages.log}) in files of that name. Public for the {@code parley} process
 * tests in {@code sip.interop.script}.
 */
public final class SippCalls {

    /** How long a peer may run before it is killed and its test fails. */
    public static final long PEER_TIMEOUT_S = 120;

    private final Path dir;

    /** SIPp processes run in {@code dir}, where their files go. */
    public SippCalls(Path dir) {
        this.dir = dir;
    }

    /** A scenario of this module ({@code resources/sip/interop/proxy/NAME}), copied to the run's directory. */
    Path scenario(String name) throws IOException {
        Path target = dir.resolve(name);
        if (!Files.exists(target)) {
            try (InputStream in = SippCalls.class.getResourceAsStream("proxy/" + name)) {
                if (in == null) {
                    throw new IllegalArgumentException("no scenario proxy/" + name);
                }
                Files.copy(in, target);
            }
        }
        return target;
    }

    /**
     * A file of the team's reference load set-up, {@code ../shared/bench/RELATIVE} from the
     * repository root (read in place, never copied into the repository). Missing: the test is
     * skipped.
     */
    static Path sharedBench(String relative) {
        Path file = repositoryRoot().resolve("../shared/bench").resolve(relative).normalize();
        // Not a Debian peer .ci/run can install, so missing means skipped, even in CI.
        assumeTrue(Files.isRegularFile(file), "the shared reference set-up is missing: " + file);
        return file;
    }

    /** The first directory above the test classes holding {@code mvnw}: the repository root. */
    private static Path repositoryRoot() {
        try {
            Path p = Path.of(SippCalls.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("mvnw"))) {
                    return p;
                }
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * Starts SIPp {@code name} as a UAS running {@code scenario} on 127.0.0.1:{@code port}
     * ({@code transport} "udp" or "tcp"), ending after {@code calls} calls; returns once it listens.
     */
    public Peers.Started uas(String name, Path scenario, String transport, int port, int calls, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = command(name, scenario, transport);
        cmd.addAll(List.of("-p", String.valueOf(port), "-m", String.valueOf(calls)));
        cmd.addAll(Arrays.asList(extra));
        Peers.Started started = Peers.start(dir, cmd);
        try {
            Sipp.awaitListening(started, transport, port);
        } catch (Throwable t) {
            started.close();
            throw t;
        }
        return started;
    }

    /**
     * Runs SIPp {@code name} as a UAC making {@code calls} calls of {@code scenario} to
     * {@code sip:service@127.0.0.1:port}, 10 at a time at most, and waits for it to end.
     */
    public Peers.Run uac(String name, Path scenario, String transport, int port, int calls, String... extra)
            throws IOException, InterruptedException {
        return uac(name, scenario, transport, port, "service", calls, extra);
    }

    /** As {@link #uac(String, Path, String, int, int, String...)}, calling {@code sip:user@127.0.0.1:port}. */
    public Peers.Run uac(String name, Path scenario, String transport, int port, String user, int calls, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = command(name, scenario, transport);
        cmd.addAll(List.of("127.0.0.1:" + port, "-s", user, "-p", "0",
                "-m", String.valueOf(calls), "-r", "20", "-l", "10", "-d", "0", "-recv_timeout", "10000"));
        cmd.addAll(Arrays.asList(extra));
        return Peers.run(dir, PEER_TIMEOUT_S, cmd);
    }

    /** The last statistics line of SIPp {@code name}. */
    public Sipp.Stats stats(String name, String output) throws IOException {
        return Sipp.Stats.read(dir.resolve(name + "-stats.csv"), output);
    }

    /** What SIPp {@code name} logged about failed calls. */
    public String errors(String name) throws IOException {
        Path log = dir.resolve(name + "-errors.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Every message SIPp {@code name} received, as text. */
    public List<String> received(String name) throws IOException {
        Path log = dir.resolve(name + "-messages.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        List<String> messages = new ArrayList<>();
        Matcher m = Pattern.compile("message received \\[\\d+\\] bytes :\\s*(.*?)(?=\\r?\\n-{20,}|\\z)", Pattern.DOTALL)
                .matcher(text);
        while (m.find()) {
            messages.add(m.group(1));
        }
        return messages;
    }

    /**
     * Calls whose ACK reached SIPp {@code name} after their BYE: the proxy forwarded the two in
     * the other order than the UAC sent them.
     */
    long acksAfterBye(String name) throws IOException {
        java.util.Set<String> ended = new java.util.HashSet<>();
        long late = 0;
        for (String m : received(name)) {
            Matcher id = Pattern.compile("(?mi)^(?:Call-ID|i):\\s*(\\S+)").matcher(m);
            String callId = id.find() ? id.group(1) : "";
            if (m.startsWith("BYE ")) {
                ended.add(callId);
            } else if (m.startsWith("ACK ") && ended.contains(callId)) {
                late++;
            }
        }
        return late;
    }

    /** SIPp {@code name}'s exit code, the end of its output and of its error log. */
    public String report(String name, Peers.Run run) throws IOException {
        return "SIPp " + name + " exit " + run.exitCode() + "\n" + tail(run.output())
                + "\n--- " + name + " error log ---\n" + tail(errors(name));
    }

    private List<String> command(String name, Path scenario, String transport) {
        return new ArrayList<>(List.of(Peers.require("sipp").toString(),
                "-sf", scenario.toString(), "-i", "127.0.0.1", "-t", transport.equals("tcp") ? "t1" : "u1",
                "-nostdin", "-max_socket", "1000", "-timeout", "90s", "-timeout_error",
                "-trace_stat", "-stf", dir.resolve(name + "-stats.csv").toString(),
                "-trace_msg", "-message_file", dir.resolve(name + "-messages.log").toString(),
                "-trace_err", "-error_file", dir.resolve(name + "-errors.log").toString()));
    }

    /** The last 3000 characters of {@code log}, for a failure message. */
    public static String tail(String log) {
        return log.length() <= 3000 ? log : "..." + log.substring(log.length() - 3000);
    }
}
