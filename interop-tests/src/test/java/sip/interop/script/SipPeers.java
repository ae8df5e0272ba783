package sip.interop.script;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sip.interop.Peers;
import sip.interop.SippCalls;

/**
 * The real SIP peers the {@code parley} process is tested with, sipsak and SIPp, run in one
 * directory with a deadline: found on PATH or the test is skipped ({@code PARLEY_REQUIRE_PEERS=1},
 * as {@code .ci/run} sets it, fails it instead). SIPp {@code NAME} keeps its statistics in
 * {@code NAME-stats.csv}, its messages in {@code NAME-messages.log}, its errors in
 * {@code NAME-errors.log}. SIPp is run by {@link SippCalls}, sipsak by {@link Peers}. Public
 * only for {@link #freePort}, which the Java peers of {@code sip.interop} share.
 */
public final class SipPeers {

    static final long PEER_TIMEOUT_S = SippCalls.PEER_TIMEOUT_S;

    private final Path dir;
    private final SippCalls sipp;

    SipPeers(Path dir) {
        this.dir = dir;
        this.sipp = new SippCalls(dir);
    }

    /**
     * sipsak (usrloc mode) binds {@code contact} to {@code sip:USER@127.0.0.1} at parley on
     * {@code port}. The port goes in {@code -r}: sipsak cuts a five-digit port in {@code -s}.
     */
    Peers.Run register(String user, String contact, int port, String protocol) throws IOException, InterruptedException {
        return Peers.run(dir, PEER_TIMEOUT_S, List.of(Peers.require("sipsak").toString(), "-vvv", "-i", "--transport=" + protocol,
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
    Peers.Started uas(String name, Path scenario, String transport, int port, int calls) throws IOException, InterruptedException {
        return sipp.uas(name, scenario, transport, port, calls);
    }

    /** Runs SIPp {@code name} as a UAC: {@code calls} calls of {@code scenario} to {@code user} through parley on {@code port}. */
    Peers.Run uac(String name, Path scenario, String transport, int port, String user, int calls, String... extra)
            throws IOException, InterruptedException {
        return sipp.uac(name, scenario, transport, port, user, calls, extra);
    }

    /** SIPp {@code name}'s calls that reached the end of its scenario (its last statistics line). */
    long successfulCalls(String name, String output) throws IOException {
        return sipp.stats(name, tail(output)).successful();
    }

    /** Every message SIPp {@code name} received, as text. */
    List<String> received(String name) throws IOException {
        return sipp.received(name);
    }

    /** SIPp {@code name}'s exit code, the end of its output and of its error log. */
    String report(String name, Peers.Run run) throws IOException {
        return sipp.report(name, run);
    }

    /**
     * A port free for both UDP and TCP on 127.0.0.1 right now (parley and the Java peers listen
     * on both): a UDP port whose TCP twin is taken is skipped, up to 50 tries.
     */
    public static int freePort() throws IOException {
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

    /** The end of {@code log}, for a failure message. */
    static String tail(String log) {
        return SippCalls.tail(log);
    }
}
