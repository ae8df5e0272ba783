package sip.transport.ws;

import java.io.IOException;
import java.util.Objects;

/**
 * A WebSocket opening handshake (RFC 6455 §4) was refused, by either side. An inbound refusal is
 * told with a {@code ConnectionEvent.Failed} event after the HTTP answer was sent and the socket
 * closed; an outbound one is thrown by {@code Transport.connect}.
 */
public final class WebSocketHandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the handshake failed; {@link #status()} gives the HTTP status that went with it. */
    public enum Reason {
        /** Not a well-formed HTTP/1.1 GET upgrade request, or a bad {@code Sec-WebSocket-Key}: 400. */
        MALFORMED_REQUEST,
        /** No {@code Upgrade: websocket} / {@code Connection: Upgrade}: 426 with {@code Upgrade: websocket}. */
        NOT_AN_UPGRADE,
        /** {@code Sec-WebSocket-Version} is not 13: 426 with {@code Sec-WebSocket-Version: 13}. */
        UNSUPPORTED_VERSION,
        /** The client did not offer the {@code sip} subprotocol (RFC 7118 §4): 400. */
        NO_SIP_SUBPROTOCOL,
        /** The {@code Origin} is not in {@link WebSocketConfig#allowedOrigins()}: 403. */
        FORBIDDEN_ORIGIN,
        /** The request path is not {@link WebSocketConfig#path()}: 404. */
        PATH_NOT_FOUND,
        /** The request head is larger than 8 KiB: 431. */
        REQUEST_TOO_LARGE,
        /** The handshake did not finish within the handshake timeout: no answer, the socket is closed. */
        TIMEOUT,
        /** Client: the server answered with a status other than 101 ({@link #status()}). */
        REJECTED,
        /** Client: the 101 answer is wrong (bad {@code Sec-WebSocket-Accept}, no {@code sip} subprotocol) or not HTTP. */
        BAD_RESPONSE
    }

    private final Reason reason;
    private final int status;

    /**
     * @param status the HTTP status sent (server) or received (client); 0 if none
     */
    public WebSocketHandshakeException(Reason reason, int status, String message) {
        super(Objects.requireNonNull(reason, "reason") + (status > 0 ? " (" + status + ")" : "") + ": " + message);
        this.reason = reason;
        this.status = status;
    }

    public WebSocketHandshakeException(Reason reason, int status, String message, Throwable cause) {
        this(reason, status, message);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status sent (server) or received (client); 0 if none. */
    public int status() {
        return status;
    }
}
