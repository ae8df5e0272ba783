package sip.transport.ws.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import sip.transport.ws.WebSocketConfig;
import sip.transport.ws.WebSocketHandshakeException;
import sip.transport.ws.WebSocketHandshakeException.Reason;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2) for SIP (RFC 7118 §4): checks
 * a request head and gives the answer to write, 101 or a refusal. Pure: no socket.
 */
final class ServerHandshake {

    /** RFC 6455 §1.3: appended to the client's key before hashing. */
    private static final String KEY_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final String SUBPROTOCOL = "sip";
    /**
     * Fields that must appear on one line only: two Host lines are a 400 (RFC 9112 §3.2), and
     * RFC 6455 §4.1 sends the key and version once; merged, they would be checked as one value.
     */
    private static final List<String> SINGLE_FIELDS = List.of("host", "sec-websocket-key", "sec-websocket-version");

    private ServerHandshake() {
    }

    /** The answer to a request: the bytes to write and, for a refusal, why. */
    record Answer(byte[] bytes, WebSocketHandshakeException refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    /** Checks {@code request} against the WebSocket and SIP rules and {@code config}. */
    static Answer answer(HttpHead request, WebSocketConfig config) {
        String[] line = request.startLine().split(" ", -1);
        if (line.length != 3 || !line[2].matches("HTTP/[0-9]\\.[0-9]")) {
            return refuse(Reason.MALFORMED_REQUEST, "not an HTTP/1.1 request line: " + HttpHead.abbreviate(request.startLine()));
        }
        // RFC 9110 §2.5: a later 1.x minor version is processed as the highest we speak, 1.1.
        if (!line[0].equals("GET") || !line[2].startsWith("HTTP/1.") || line[2].equals("HTTP/1.0")) {
            return refuse(Reason.MALFORMED_REQUEST, "a WebSocket handshake is an HTTP/1.1 GET, not "
                    + HttpHead.abbreviate(line[0]) + " " + line[2]);
        }
        String path = pathOf(line[1]);
        if (path == null) {
            return refuse(Reason.MALFORMED_REQUEST, "bad request target " + HttpHead.abbreviate(line[1]));
        }
        if (config.path().isPresent() && !config.path().get().equals(path)) {
            return refuse(Reason.PATH_NOT_FOUND, "no WebSocket is served at " + HttpHead.abbreviate(path));
        }
        for (String single : SINGLE_FIELDS) {
            if (request.repeated().contains(single)) {
                return refuse(Reason.MALFORMED_REQUEST, "more than one " + single + " field");
            }
        }
        String host = request.field("host").orElse(null);
        if (host == null) {
            return refuse(Reason.MALFORMED_REQUEST, "no Host header");
        }
        if (!isValidHost(host)) {
            return refuse(Reason.MALFORMED_REQUEST, "Host is not uri-host[:port]: '" + HttpHead.abbreviate(host) + "'");
        }
        if (!request.lists("upgrade", "websocket", true) || !request.lists("connection", "upgrade", true)) {
            return refuse(Reason.NOT_AN_UPGRADE, "this is a WebSocket endpoint: send Upgrade: websocket"
                    + " and Connection: Upgrade");
        }
        if (!request.field("sec-websocket-version").map("13"::equals).orElse(false)) {
            return refuse(Reason.UNSUPPORTED_VERSION, "only WebSocket version 13 is spoken, not "
                    + request.field("sec-websocket-version").orElse("none"));
        }
        String key = request.field("sec-websocket-key").orElse("");
        if (!isValidKey(key)) {
            return refuse(Reason.MALFORMED_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64, not '"
                    + HttpHead.abbreviate(key) + "'");
        }
        String origin = request.field("origin").orElse(null);
        if (!allows(config, origin)) {
            return refuse(Reason.FORBIDDEN_ORIGIN, "origin " + HttpHead.abbreviate(origin) + " is not allowed");
        }
        if (!request.lists("sec-websocket-protocol", SUBPROTOCOL, false)) {
            return refuse(Reason.NO_SIP_SUBPROTOCOL, "the sip subprotocol is required (RFC 7118): send"
                    + " Sec-WebSocket-Protocol: sip");
        }
        String answer = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n"
                + "Sec-WebSocket-Protocol: " + SUBPROTOCOL + "\r\n"
                + "\r\n";
        return new Answer(answer.getBytes(StandardCharsets.US_ASCII), null);
    }

    /** The refusal of a head that could not be read: 431 or 400. */
    static Answer refuse(HttpHead.HeadException unreadable) {
        return unreadable.problem() == HttpHead.Problem.TOO_LARGE
                ? refuse(Reason.REQUEST_TOO_LARGE, unreadable.getMessage())
                : refuse(Reason.MALFORMED_REQUEST, unreadable.getMessage());
    }

    private static Answer refuse(Reason reason, String why) {
        int status = status(reason);
        String extra = switch (reason) {
            case NOT_AN_UPGRADE -> "Upgrade: websocket\r\n";
            case UNSUPPORTED_VERSION -> "Sec-WebSocket-Version: 13\r\n";
            default -> "";
        };
        byte[] body = (why + "\n").getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 " + status + " " + phrase(status) + "\r\n"
                + "Connection: close\r\n"
                + extra
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
        System.arraycopy(body, 0, bytes, headBytes.length, body.length);
        return new Answer(bytes, new WebSocketHandshakeException(reason, status, why));
    }

    static int status(Reason reason) {
        return switch (reason) {
            case MALFORMED_REQUEST, NO_SIP_SUBPROTOCOL -> 400;
            case FORBIDDEN_ORIGIN -> 403;
            case PATH_NOT_FOUND -> 404;
            case NOT_AN_UPGRADE, UNSUPPORTED_VERSION -> 426;
            case REQUEST_TOO_LARGE -> 431;
            case TIMEOUT, REJECTED, BAD_RESPONSE -> 0;
        };
    }

    private static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }

    /** True if a handshake with this {@code Origin} (null when absent: not a browser) may go on. */
    private static boolean allows(WebSocketConfig config, String origin) {
        return origin == null || config.allowedOrigins().isEmpty()
                || config.allowedOrigins().contains(origin.toLowerCase(Locale.ROOT));
    }

    /** The path of an origin-form or absolute-form request target, without its query; null if bad. */
    private static String pathOf(String target) {
        try {
            if (target.startsWith("/")) {
                int query = target.indexOf('?');
                return query < 0 ? target : target.substring(0, query);
            }
            URI uri = new URI(target);
            if (uri.isAbsolute() && uri.getRawPath() != null) {
                return uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /**
     * RFC 9112 §3.2 / RFC 3986 §3.2.2: {@code uri-host [ ":" port ]}, the host an IP literal in
     * brackets or a reg-name / IPv4 address (unreserved, pct-encoded and sub-delims characters);
     * or empty, what a client sends for a target URI without an authority (RFC 9112 §3.2).
     */
    static boolean isValidHost(String host) {
        if (host.isEmpty()) {
            return true;
        }
        int end;
        if (host.startsWith("[")) {
            end = host.indexOf(']');
            if (end < 2 || !host.substring(1, end).chars().allMatch(c -> isHexDigit(c) || c == ':' || c == '.')) {
                return false;
            }
            end++;
        } else {
            end = host.indexOf(':');
            end = end < 0 ? host.length() : end;
            if (end == 0 || !host.substring(0, end).chars().allMatch(ServerHandshake::isRegNameChar)) {
                return false;
            }
        }
        if (end == host.length()) {
            return true;
        }
        return host.charAt(end) == ':' && host.substring(end + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isRegNameChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean isValidKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code Sec-WebSocket-Accept} for {@code key}: base64(SHA-1(key + GUID)), RFC 6455 §4.2.2. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + KEY_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
