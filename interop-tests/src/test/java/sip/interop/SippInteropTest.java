package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportStats;

/**
 * SIPp (Debian {@code sip-tester}) against {@link MinimalResponder} over UDP and TCP: SIPp checks
 * every answer it gets, the responder counts every request it got, and both views must agree.
 * (Debian builds SIPp without OpenSSL, so TLS interop is {@link SipsakTlsInteropTest}'s.)
 */
class SippInteropTest {

    private static final long PEER_TIMEOUT_S = 60;
    private static final int CALLS = 30;

    @TempDir
    Path dir;

    /** SIPp transport modes: u1 = one UDP socket, t1 = one TCP connection, tn = one per call. */
    @ParameterizedTest(name = "OPTIONS over {0} (sipp -t {1})")
    @CsvSource({"udp, u1", "tcp, t1", "tcp, tn"})
    void optionsAreAnswered(String protocol, String mode) throws Exception {
        try (MinimalResponder responder = new MinimalResponder(protocol, TransportConfig.defaults())) {
            Peers.Run run = sipp(responder, mode, List.of("-sf", scenario("options.xml").toString()));
            assertEquals(0, run.exitCode(), run.output());
            assertEquals(CALLS, responder.received("OPTIONS"));
            assertEquals(0, responder.sendFailures());
            assertConnectionsDrain(responder, mode);
        }
    }

    @ParameterizedTest(name = "INVITE, ACK, BYE over {0} (sipp -t {1})")
    @CsvSource({"udp, u1", "tcp, t1", "tcp, tn"})
    void callsComplete(String protocol, String mode) throws Exception {
        try (MinimalResponder responder = new MinimalResponder(protocol, TransportConfig.defaults())) {
            Peers.Run run = sipp(responder, mode, List.of("-sn", "uac"));
            assertEquals(0, run.exitCode(), run.output());
            assertEquals(CALLS, responder.received("INVITE"));
            assertEquals(CALLS, responder.received("ACK"));
            assertEquals(CALLS, responder.received("BYE"));
            assertEquals(0, responder.sendFailures());
            assertConnectionsDrain(responder, mode);
        }
    }

    @ParameterizedTest(name = "a malformed request over {0} gets 400 (sipp -t {1})")
    @CsvSource({"udp, u1", "tcp, t1"})
    void malformedRequestsGet400AndTheListenerGoesOn(String protocol, String mode) throws Exception {
        try (MinimalResponder responder = new MinimalResponder(protocol, TransportConfig.defaults())) {
            Peers.Run bad = sipp(responder, mode, List.of("-sf", scenario("malformed.xml").toString()));
            assertEquals(0, bad.exitCode(), bad.output());
            assertEquals(CALLS, responder.received("malformed"));
            Peers.Run good = sipp(responder, mode, List.of("-sf", scenario("options.xml").toString()));
            assertEquals(0, good.exitCode(), good.output());
            assertEquals(CALLS, responder.received("OPTIONS"));
        }
    }

    private Peers.Run sipp(MinimalResponder responder, String mode, List<String> scenario)
            throws IOException, InterruptedException {
        Path sipp = Peers.require("sipp");
        List<String> cmd = new ArrayList<>(List.of(sipp.toString(),
                "127.0.0.1:" + responder.port(), "-i", "127.0.0.1", "-p", "0", "-t", mode,
                "-m", String.valueOf(CALLS), "-r", "50", "-l", "10",
                "-nostdin", "-max_socket", "1000", "-timeout", "30s", "-timeout_error", "-recv_timeout", "5000",
                "-trace_err", "-error_file", dir.resolve("sipp-errors.log").toString()));
        cmd.addAll(scenario);
        Peers.Run run = Peers.run(dir, PEER_TIMEOUT_S, cmd);
        Path errors = dir.resolve("sipp-errors.log");
        String errorLog = Files.exists(errors) ? Files.readString(errors) : "";
        return new Peers.Run(run.exitCode(), tail(run.output()) + "\n--- sipp error log ---\n" + tail(errorLog));
    }

    /** The end of a long log: enough to see why SIPp failed without flooding the report. */
    private static String tail(String log) {
        return log.length() <= 4000 ? log : "..." + log.substring(log.length() - 4000);
    }

    private Path scenario(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = SippInteropTest.class.getResourceAsStream(name)) {
            Files.copy(in, target);
        }
        return target;
    }

    /** Once SIPp is gone, every connection it opened is closed (by it) and counted as such. */
    private static void assertConnectionsDrain(MinimalResponder responder, String mode) throws InterruptedException {
        TransportStats stats = responder.awaitDrained();
        if (mode.equals("tn")) {
            assertEquals(CALLS, stats.accepted(), "one connection per call");
        } else if (mode.equals("t1")) {
            assertEquals(1, stats.accepted(), "one connection for all calls");
        }
        assertTrue(stats.messagesIn() >= CALLS);
    }
}
