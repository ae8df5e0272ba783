package sip.interop.ws;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIP requests as a browser phone (JsSIP, SIP.js) writes them over a WebSocket: Via
 * {@code SIP/2.0/WS} (or {@code WSS}) with a made-up {@code .invalid} sent-by and {@code rport},
 * a Contact nobody can resolve, {@code transport=ws} in URIs (RFC 7118 §5.2, §8). Text, because
 * the node peer sends text; the transport must read it byte for byte.
 */
final class WsRequests {

    /** The host JsSIP writes in Via and Contact: reachable only over its own connection. */
    static final String INVALID_HOST = "df7jal23ls0d.invalid";

    private static final AtomicLong BRANCHES = new AtomicLong();

    private final String viaTransport;
    private final String target;
    private final String callId;

    /** Requests to {@code host:port} over {@code ws} or {@code wss}, all in one Call-ID. */
    WsRequests(String protocol, String host, int port) {
        this.viaTransport = protocol.toUpperCase(java.util.Locale.ROOT);
        this.target = "sip:parley@" + host + ":" + port + ";transport=ws";
        this.callId = "ws-" + System.nanoTime() + "@" + INVALID_HOST;
    }

    String callId() {
        return callId;
    }

    /** OPTIONS number {@code cseq}. */
    String options(int cseq) {
        return request("OPTIONS", target, cseq, "", "", "");
    }

    /** OPTIONS without Content-Length: over WebSocket the frame bounds the message (RFC 7118 §5). */
    String optionsWithoutContentLength(int cseq) {
        return request("OPTIONS", target, cseq, "", "", "").replace("Content-Length: 0\r\n", "");
    }

    /** OPTIONS whose CSeq is no number: framed fine, invalid SIP (400, RFC 3261 §8.2). */
    String optionsWithBrokenCSeq(int cseq) {
        return options(cseq).replace("CSeq: " + cseq + " OPTIONS", "CSeq: one OPTIONS");
    }

    /** MESSAGE with {@code body} as text/plain UTF-8. */
    String message(int cseq, String body) {
        return request("MESSAGE", target, cseq, "Content-Type: text/plain;charset=UTF-8\r\n", "", body);
    }

    /** REGISTER of {@code sip:USER@domain} with a Contact on the {@code .invalid} host, for {@code expires} seconds. */
    String register(int cseq, String user, int expires) {
        String contact = "Contact: <sip:" + user + "@" + INVALID_HOST + ";transport=ws>;expires=" + expires + "\r\n";
        return request("REGISTER", "sip:parley.test", cseq, contact, user, "");
    }

    private String request(String method, String uri, int cseq, String extra, String user, String body) {
        String aor = "sip:" + (user.isEmpty() ? "alice" : user) + "@parley.test";
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + viaTransport + " " + INVALID_HOST + ";branch=z9hG4bKws" + BRANCHES.incrementAndGet() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <" + (method.equals("REGISTER") ? aor : uri) + ">\r\n"
                + "From: <" + aor + ">;tag=ws" + callId.hashCode() + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + extra
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n"
                + body;
    }

    /** The status code of a response's first line. */
    static int status(String response) {
        if (!response.startsWith("SIP/2.0 ")) {
            throw new AssertionError("not a SIP response: " + response);
        }
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The value of the first header named {@code name} (long form, case-insensitive), or null. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
