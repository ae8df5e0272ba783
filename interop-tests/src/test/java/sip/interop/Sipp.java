package sip.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the call tests need of SIPp beyond running it: the numbers of its statistics file
 * ({@code -trace_stat -stf}), a free port for it to listen on, and knowing when it listens.
 */
final class Sipp {

    private Sipp() {
    }

    /**
     * The cumulative counters of SIPp's last statistics line.
     *
     * @param successful calls that reached the end of the scenario
     * @param failed calls that did not (timeouts, unexpected messages, too many retransmissions)
     * @param retransmissions messages SIPp sent again
     * @param deadCallMessages messages that arrived after their call ended (late 2xx
     *     retransmissions, for instance)
     */
    record Stats(long successful, long failed, long retransmissions, long deadCallMessages) {

        /** Reads {@code csv}; fails with {@code output} (what SIPp printed) when there is nothing to read. */
        static Stats read(Path csv, String output) throws IOException {
            if (!Files.exists(csv)) {
                fail("SIPp wrote no statistics file " + csv + ":\n" + output);
            }
            List<String> lines = Files.readAllLines(csv, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (lines.size() < 2) {
                fail("SIPp's statistics file has no data line: " + lines + "\n" + output);
            }
            List<String> names = Arrays.asList(lines.getFirst().split(";", -1));
            String[] last = lines.getLast().split(";", -1);
            return new Stats(column(names, last, "SuccessfulCall(C)"), column(names, last, "FailedCall(C)"),
                    column(names, last, "Retransmissions(C)"), column(names, last, "DeadCallMsgs(C)"));
        }

        private static long column(List<String> names, String[] values, String name) {
            int i = names.indexOf(name);
            if (i < 0 || i >= values.length) {
                throw new AssertionError("no column " + name + " in SIPp's statistics: " + names);
            }
            return Long.parseLong(values[i].trim());
        }
    }

    /**
     * A port nothing listens on for {@code protocol} right now. Another process could take it
     * before SIPp binds it; SIPp then exits at once and the test says so.
     */
    static int freePort(String protocol) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (protocol.equals("udp")) {
            try (DatagramSocket s = new DatagramSocket(any)) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(any);
            return s.getLocalPort();
        }
    }

    /**
     * Returns once SIPp has bound {@code port} on 127.0.0.1 (a UDP socket, or a TCP socket in
     * LISTEN), from the kernel's socket tables: SIPp prints nothing when it is ready, and probing
     * the port could race with its bind. Fails if SIPp exits or is not ready within 10 s.
     */
    static void awaitListening(Peers.Started sipp, String protocol, int port)
            throws IOException, InterruptedException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        Path table = Path.of("/proc/net", protocol);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!sipp.isAlive()) {
                fail("SIPp exited before listening on " + protocol + " " + port + ":\n" + sipp.output());
            }
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].equals(local) && (protocol.equals("udp") || f[3].equals("0A"))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        fail("SIPp did not listen on " + protocol + " " + port + " within 10 s:\n" + sipp.output());
    }
}
