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
 * Public for the {@code parley} process tests in {@code sip.interop.script}.
 */
public final class Sipp {

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
    public record Stats(long successful, long failed, long retransmissions, long deadCallMessages) {

        /** Reads {@code csv}; fails with {@code output} (what SIPp printed) when there is nothing to read. */
        public static Stats read(Path csv, String output) throws IOException {
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
     * SIPp's built-in {@code uac} scenario (as {@code sipp -sd uac} prints it) with every response
     * matched to its transaction by branch ({@code start_txn}, {@code response_txn},
     * {@code ack_txn}), written to {@code dir}.
     *
     * <p>Why: the built-in scenario takes any 200 whose CSeq method it has sent as the answer it
     * waits for. Under {@code -lost 10}, when SIPp "loses" both its ACK and its BYE, the UAS keeps
     * retransmitting the INVITE's 200 (RFC 3261 §13.3.1.4) and SIPp takes one for its BYE's 200:
     * the call counts as successful though the BYE never left SIPp. Matched by transaction, a late
     * INVITE 200 is answered with the ACK again (SIPp's {@code ack_txn}) and the BYE is
     * retransmitted until its own 200 arrives, so every call really ends at the UAS.
     */
    static Path uacMatchingTransactions(Path dir) throws IOException, InterruptedException {
        Peers.Run builtIn = Peers.run(dir, 30, List.of(Peers.require("sipp").toString(), "-sd", "uac"));
        String xml = builtIn.output();
        String[][] edits = {
            {"<send retrans=\"500\">", "<send retrans=\"500\" start_txn=\"invite\">"},
            {"<recv response=\"100\"\\s+optional=\"true\">", "<recv response=\"100\" optional=\"true\" response_txn=\"invite\">"},
            {"<recv response=\"180\" optional=\"true\">", "<recv response=\"180\" optional=\"true\" response_txn=\"invite\">"},
            {"<recv response=\"183\" optional=\"true\">", "<recv response=\"183\" optional=\"true\" response_txn=\"invite\">"},
            {"<recv response=\"200\" rtd=\"true\">", "<recv response=\"200\" rtd=\"true\" response_txn=\"invite\">"},
            {"<send>(\\s*<!\\[CDATA\\[\\s*ACK )", "<send ack_txn=\"invite\">$1"},
            {"<send retrans=\"500\">", "<send retrans=\"500\" start_txn=\"bye\">"},
            {"<recv response=\"200\" crlf=\"true\">", "<recv response=\"200\" crlf=\"true\" response_txn=\"bye\">"},
        };
        for (String[] edit : edits) {
            String edited = xml.replaceFirst(edit[0], edit[1]);
            if (edited.equals(xml)) {
                fail("this SIPp's built-in uac scenario has no " + edit[0] + ":\n" + xml);
            }
            xml = edited;
        }
        Path scenario = dir.resolve("uac-matching-transactions.xml");
        Files.writeString(scenario, xml, java.nio.charset.StandardCharsets.ISO_8859_1);
        return scenario;
    }

    /**
     * A port nothing listens on for {@code protocol} right now. Another process could take it
     * before SIPp binds it; SIPp then exits at once and the test says so.
     */
    public static int freePort(String protocol) throws IOException {
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
