package sip.script.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley run}: the start-up lines, real loopback listeners, start-up errors, graceful stop. */
class RunCommandTest {

    static final String ANSWER_200 = "export function onRequest(req, sip) { sip.reply(200); }\n";
    private static final Pattern LISTENING = Pattern.compile("parley: listening on (udp|tcp):127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void printsListenersVersionAndReadyServesSipAndStopsGracefully() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        int udpPort;
        try (RunningParley parley = new RunningParley("run", script.toString(), "--no-watch",
                "--listen", "udp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0").awaitReady()) {
            List<String> lines = parley.out.lines();
            Matcher udp = LISTENING.matcher(lines.get(0));
            assertTrue(udp.matches() && udp.group(1).equals("udp"), lines.toString());
            Matcher tcp = LISTENING.matcher(lines.get(1));
            assertTrue(tcp.matches() && tcp.group(1).equals("tcp"), lines.toString());
            assertEquals("parley: loaded answer.js version 1 (sha256 " + sha256(script).substring(0, 12) + ")", lines.get(2));
            assertEquals("parley: ready", lines.getLast());
            // One line about the Truffle runtime: on (stdout) or the interpreter notice (stderr).
            long truffleLines = parley.out.lines().stream().filter(l -> l.startsWith("parley: optimizing Truffle runtime on")).count()
                    + parley.err.lines().stream().filter(l -> l.startsWith("parley: notice: scripts run on the Truffle interpreter")).count();
            assertEquals(1, truffleLines, parley.out.text() + "\n" + parley.err.text());

            udpPort = Integer.parseInt(udp.group(2));
            assertEquals("SIP/2.0 200 OK", optionsOverUdp(udpPort));

            assertEquals(0, parley.stop());
            assertEquals("parley: stopped", parley.out.lines().getLast());
        }
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", udpPort))) {
            assertTrue(again.isBound(), "the listener's port is free after stop");
        }
    }

    @Test
    void listensWhereConfigListenSaysWithoutListenFlags() throws Exception {
        Path script = write("configured.js", "export const config = { listen: ['tcp:127.0.0.1:0'] };\n" + ANSWER_200);
        try (RunningParley parley = new RunningParley("run", script.toString(), "--no-watch").awaitReady()) {
            List<String> listening = parley.out.lines().stream().filter(l -> l.startsWith("parley: listening on ")).toList();
            assertEquals(1, listening.size(), listening.toString());
            assertTrue(LISTENING.matcher(listening.getFirst()).matches() && listening.getFirst().contains("tcp:"), listening.toString());
            assertEquals(0, parley.stop());
        }
    }

    @Test
    void udpPortInUseIsNamedAndExitsWithOne() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String address = "udp:127.0.0.1:" + taken.getLocalPort();
            RunningParley parley = new RunningParley("run", script.toString(), "--no-watch", "--listen", address);
            assertEquals(1, parley.exitStatus());
            assertEquals("parley: cannot listen on " + address + ": address already in use", parley.err.lines().getLast());
            assertFalse(parley.out.lines().contains("parley: ready"));
        }
    }

    @Test
    void tcpPortInUseIsNamedAndExitsWithOne() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "tcp:127.0.0.1:" + taken.getLocalPort();
            RunningParley parley = new RunningParley("run", script.toString(), "--no-watch",
                    "--listen", "udp:127.0.0.1:0", "--listen", address);
            assertEquals(1, parley.exitStatus());
            assertEquals("parley: cannot listen on " + address + ": address already in use", parley.err.lines().getLast());
        }
    }

    @Test
    void addressOfNoInterfaceIsNotAvailableRatherThanInUse() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        // 192.0.2.1 (TEST-NET-1) is on no interface here: bind fails with EADDRNOTAVAIL; no packet is sent.
        RunningParley parley = new RunningParley("run", script.toString(), "--no-watch", "--listen", "udp:192.0.2.1:5060");
        assertEquals(1, parley.exitStatus());
        assertEquals("parley: cannot listen on udp:192.0.2.1:5060: address not available on this host",
                parley.err.lines().getLast());
    }

    @Test
    void syntaxErrorIsFileLineColumnAndExitsWithOne() throws Exception {
        Path script = write("broken.js", "export function onRequest(req, sip) {\n  sip.reply(200) ]\n}\n");
        RunningParley parley = new RunningParley("run", script.toString(), "--listen", "udp:127.0.0.1:0");
        assertEquals(1, parley.exitStatus());
        String error = parley.err.lines().getLast();
        assertTrue(error.matches("parley: \\S*broken\\.js:2:\\d+: .+"), error);
        assertEquals(List.of(), parley.out.lines());
    }

    @Test
    void tlsListenerWithoutCertificateIsRefused() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        RunningParley parley = new RunningParley("run", script.toString(), "--listen", "tls:127.0.0.1:0");
        assertEquals(1, parley.exitStatus());
        assertEquals("parley: cannot listen on tls:127.0.0.1:0: TLS needs --tls-cert and --tls-key", parley.err.lines().getLast());
    }

    @Test
    void wssListenerWithoutCertificateIsRefused() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        RunningParley parley = new RunningParley("run", script.toString(), "--listen", "wss:127.0.0.1:0");
        assertEquals(1, parley.exitStatus());
        assertEquals("parley: cannot listen on wss:127.0.0.1:0: WSS (WebSocket over TLS) needs --tls-cert and --tls-key",
                parley.err.lines().getLast());
    }

    @Test
    void listensOnWebSocketServingOnlyTheConfiguredPath() throws Exception {
        Path script = write("ws.js", "export const config = { websocket: { path: '/sip' } };\n" + ANSWER_200);
        try (RunningParley parley = new RunningParley("run", script.toString(), "--no-watch",
                "--listen", "ws:127.0.0.1:0").awaitReady()) {
            List<String> listening = parley.out.lines().stream().filter(l -> l.startsWith("parley: listening on ")).toList();
            assertEquals(1, listening.size(), parley.out.text());
            Matcher ws = Pattern.compile("parley: listening on ws:127\\.0\\.0\\.1:(\\d+)").matcher(listening.getFirst());
            assertTrue(ws.matches(), listening.toString());
            assertEquals(1, parley.out.lines().stream().filter(l -> l.startsWith("parley: loaded ws.js")).count(),
                    "loaded twice (for config.websocket) but reported once: " + parley.out.text());
            int port = Integer.parseInt(ws.group(1));
            assertTrue(upgrade(port, "/other").startsWith("HTTP/1.1 404"), "config.websocket.path applied");
            assertTrue(upgrade(port, "/sip").startsWith("HTTP/1.1 101"), "the configured path upgrades");
            assertEquals(0, parley.stop());
        }
    }

    /** The status line a WebSocket handshake for {@code path} (subprotocol sip) gets. */
    private static String upgrade(int port, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n";
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            java.io.InputStream in = s.getInputStream();
            for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void missingCertificateFileIsNamed() throws Exception {
        Path script = write("answer.js", ANSWER_200);
        RunningParley parley = new RunningParley("run", script.toString(), "--tls-cert", dir.resolve("none.pem").toString(),
                "--tls-key", dir.resolve("none.key").toString());
        assertEquals(1, parley.exitStatus());
        assertEquals("parley: " + dir.resolve("none.pem") + ": no such file", parley.err.lines().getLast());
    }

    private Path write(String name, String source) throws Exception {
        return Files.writeString(dir.resolve(name), source);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Sends an OPTIONS to 127.0.0.1:port over UDP and returns the status line of the answer. */
    static String optionsOverUdp(int port) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(30_000);
            String request = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-cli-test;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:test@127.0.0.1>;tag=cli\r\n"
                    + "To: <sip:127.0.0.1>\r\n"
                    + "Call-ID: cli-test@127.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
            while (true) {
                DatagramPacket answer = new DatagramPacket(new byte[65_535], 65_535);
                socket.receive(answer);
                String text = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
                String statusLine = text.substring(0, text.indexOf("\r\n"));
                if (!statusLine.startsWith("SIP/2.0 1")) {
                    return statusLine;
                }
            }
        }
    }
}
