/**
 * SIP over WebSocket (RFC 7118), {@code ws} and {@code wss}: a transport provider registered
 * through the SPI like any other. It is the TCP provider's stream transport (connection registry
 * and reuse, limits, timeouts, write watchdog, counts, close grace) with WebSocket framing
 * (RFC 6455) in place of Content-Length framing, opened by an HTTP/1.1 upgrade; {@code wss} runs
 * it over the TLS provider's sockets and needs {@code TransportConfig.tls(...)} exactly as
 * {@code tls} does. Settings of its own: {@link sip.transport.ws.WebSocketConfig}, registered as a
 * {@code TransportConfig} extension.
 *
 * <p>Each WebSocket message carries one SIP message, text or binary (both accepted), parsed as a
 * datagram is; each SIP message sent is one unfragmented text frame (binary when its bytes are not
 * UTF-8). A message that is exactly CRLFCRLF is an RFC 5626 keep-alive ping, answered with a CRLF
 * text message; exactly CRLF is its pong. WebSocket pings are answered with pongs. The listener
 * requires the {@code sip} subprotocol (RFC 7118 §4) and offers no extension (no
 * permessage-deflate).
 *
 * <h2>Limits and timers</h2>
 * Those of {@code sip.transport.spi}, plus:
 * <table class="striped">
 *   <caption>WebSocket specifics</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>{@code handshakeTimeout}: inbound, the TLS handshake (wss) and the HTTP upgrade
 *       together; outbound, the HTTP upgrade after the TCP connect (and the TLS handshake, which
 *       has its own)</td><td>10 s</td>
 *       <td>the socket is closed without an answer; {@code Failed} event or {@code connect}
 *       failure with {@code WebSocketHandshakeException} ({@code TIMEOUT})</td></tr>
 *   <tr><td>HTTP request or response head</td><td>8 KiB</td>
 *       <td>431 ({@code REQUEST_TOO_LARGE}); an outbound connect fails ({@code BAD_RESPONSE})</td></tr>
 *   <tr><td>refused handshake: bad request, no {@code sip} subprotocol / wrong version / not an
 *       upgrade / forbidden {@code Origin} / other path</td><td></td>
 *       <td>400 / 400 / 426 / 426 / 403 / 404 with {@code Connection: close} and a short text body
 *       saying why, then the socket is closed; {@code Failed} event with
 *       {@code WebSocketHandshakeException}</td></tr>
 *   <tr><td>{@code WebSocketConfig.maxFrameSize}: a frame's payload</td><td>64 KiB</td>
 *       <td>close frame 1009, connection closed ({@code MALFORMED}, counted malformed)</td></tr>
 *   <tr><td>a whole (reassembled) message: the parser's {@code maxMessageSize}</td><td>64 KiB</td>
 *       <td>close frame 1009, connection closed ({@code MALFORMED})</td></tr>
 *   <tr><td>protocol errors: unmasked client frame, masked server frame, reserved bits or opcodes,
 *       bad control frame, bad close code</td><td></td>
 *       <td>close frame 1002, connection closed ({@code MALFORMED})</td></tr>
 *   <tr><td>text message that is not UTF-8</td><td></td>
 *       <td>close frame 1007, connection closed ({@code MALFORMED})</td></tr>
 *   <tr><td>a malformed SIP message inside a valid frame</td><td></td>
 *       <td>{@code onMalformed}; the connection stays open (the next frame is the next message)</td></tr>
 *   <tr><td>{@code idleTimeout}; transport closing</td><td>120 s</td>
 *       <td>close frame 1001 within the close grace, then the socket is closed</td></tr>
 *   <tr><td>{@code Connection.close()}</td><td></td>
 *       <td>close frame 1000 within the close grace, then the socket is closed</td></tr>
 *   <tr><td>the peer's close frame</td><td></td>
 *       <td>answered with a close frame with its code, then the socket is closed ({@code PEER})</td></tr>
 * </table>
 *
 * <p>After a close frame of its own (a goodbye, a failure, the answer to the peer's close) a
 * {@code ws} connection half-closes and, on its reader thread, waits within the close grace for
 * the peer to close too (RFC 6455 §7.1.1: the server closes TCP first), so that unread bytes do
 * not turn the close into a reset that could destroy the close frame. A refused handshake waits
 * likewise, at most 1 s, for the client to read the answer and close.
 *
 * <p>Outbound connections ask for {@code WebSocketConfig.connectPath} with {@code Host} the
 * server name given to {@code connect} ({@code wss}) or the address ({@code ws}, whose connections
 * are reused by address alone), and the {@code sip} subprotocol; the answer must be 101 with the
 * right {@code Sec-WebSocket-Accept} and {@code sip}, else {@code WebSocketHandshakeException}
 * ({@code REJECTED} with the status, or {@code BAD_RESPONSE}).
 *
 * <p>Connection reuse is the stream transport's: {@code ws} like {@code tcp} (inbound connections
 * too), {@code wss} like {@code tls} (only connections it opened, by address and server name).
 * Browsers give {@code *.invalid} hosts in Via and Contact: they are reached only over their
 * connection, found by its flow.
 */
module sip.transport.ws {
    requires sip.transport.spi;
    requires sip.transport.tcp;
    requires sip.transport.tls;
    exports sip.transport.ws;
    provides sip.transport.spi.TransportProvider with sip.transport.ws.internal.WsTransportProvider;
}
