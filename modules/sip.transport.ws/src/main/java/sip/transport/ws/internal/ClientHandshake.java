package sip.transport.ws.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.random.RandomGenerator;
import sip.transport.ws.WebSocketHandshakeException;
import sip.transport.ws.WebSocketHandshakeException.Reason;

/**
 * The client side of the WebSocket opening handshake (RFC 6455 §4.1) for SIP (RFC 7118 §4): the
 * request to write, and the check of the server's answer. Pure: no socket.
 *
 * @param request the request head to write
 * @param key the {@code Sec-WebSocket-Key} it carries
 */
record ClientHandshake(byte[] request, String key) {

    /**
     * A request for {@code path} on {@code remote}; {@code Host} is {@code serverName} when given,
     * else the address, with the port unless it is the scheme's default.
     */
    static ClientHandshake request(InetSocketAddress remote, String serverName, String path, int defaultPort,
            RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String host = serverName != null ? serverName : hostLiteral(remote);
        if (remote.getPort() != defaultPort) {
            host += ":" + remote.getPort();
        }
        String head = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + ServerHandshake.SUBPROTOCOL + "\r\n"
                + "\r\n";
        return new ClientHandshake(head.getBytes(StandardCharsets.US_ASCII), key);
    }

    /** Checks the server's answer: 101 with the right accept value and the {@code sip} subprotocol. */
    void check(HttpHead response) throws WebSocketHandshakeException {
        String[] line = response.startLine().split(" ", 3);
        int status = line.length >= 2 && line[0].startsWith("HTTP/1.") ? parseStatus(line[1]) : -1;
        if (status < 0) {
            throw new WebSocketHandshakeException(Reason.BAD_RESPONSE, 0, "not an HTTP status line: "
                    + HttpHead.abbreviate(response.startLine()));
        }
        if (status != 101) {
            throw new WebSocketHandshakeException(Reason.REJECTED, status, "the server answered "
                    + HttpHead.abbreviate(response.startLine()));
        }
        if (!response.lists("upgrade", "websocket", true) || !response.lists("connection", "upgrade", true)) {
            throw new WebSocketHandshakeException(Reason.BAD_RESPONSE, status, "101 without Upgrade: websocket"
                    + " and Connection: Upgrade");
        }
        String accept = response.field("sec-websocket-accept").orElse("");
        if (!accept.equals(ServerHandshake.accept(key))) {
            throw new WebSocketHandshakeException(Reason.BAD_RESPONSE, status, "wrong Sec-WebSocket-Accept '"
                    + HttpHead.abbreviate(accept) + "'");
        }
        String protocol = response.field("sec-websocket-protocol").orElse(null);
        if (!ServerHandshake.SUBPROTOCOL.equals(protocol)) {
            throw new WebSocketHandshakeException(Reason.BAD_RESPONSE, status, "the server did not select the sip"
                    + " subprotocol (RFC 7118 §4) but " + (protocol == null ? "none" : "'" + HttpHead.abbreviate(protocol) + "'"));
        }
        if (response.field("sec-websocket-extensions").isPresent()) {
            throw new WebSocketHandshakeException(Reason.BAD_RESPONSE, status, "the server selected an extension"
                    + " that was not offered");
        }
    }

    private static int parseStatus(String s) {
        if (s.length() != 3 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    private static String hostLiteral(InetSocketAddress remote) {
        String ip = remote.getAddress().getHostAddress();
        int scope = ip.indexOf('%');
        if (scope >= 0) {
            ip = ip.substring(0, scope); // a zone id is not for the Host header (RFC 6874 is not needed here)
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }
}
