/**
 * The transport SPI. Providers are found with {@link java.util.ServiceLoader}; Parley's own
 * UDP, TCP, TLS and WS providers are registered exactly like a third party's.
 *
 * <h2>Limits and timers</h2>
 * Every limit is set on {@link sip.transport.spi.TransportConfig.Builder}; a duration of zero turns
 * a timeout off.
 * <table class="striped">
 *   <caption>Transport limits</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>{@code parser.maxMessageSize}</td><td>65,536 bytes</td>
 *       <td>{@code onMalformed} (413); a stream connection is then closed (WS/WSS: close frame
 *       1009, no {@code onMalformed})</td></tr>
 *   <tr><td>{@code maxConnections} (per transport, inbound + outbound)</td><td>4,096</td>
 *       <td>accepted connection closed at once, {@code Failed} event; {@code connect} throws
 *       {@code ConnectionLimitException}</td></tr>
 *   <tr><td>{@code maxConnectionsPerAddress} (inbound, per peer IP)</td><td>1,024</td>
 *       <td>accepted connection closed at once, {@code Failed} event</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>120 s</td><td>connection closed ({@code IDLE})</td></tr>
 *   <tr><td>{@code messageReadTimeout}: from a message's first byte to its last, and from an
 *       inbound connection's opening to its first message</td><td>10 s</td>
 *       <td>connection closed ({@code READ_TIMEOUT}); other connections unaffected</td></tr>
 *   <tr><td>{@code writeTimeout}: a send blocked by a peer that does not read</td><td>10 s</td>
 *       <td>connection closed ({@code WRITE_TIMEOUT}), the send throws</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>10 s</td><td>{@code connect} throws</td></tr>
 *   <tr><td>{@code handshakeTimeout} (TLS, WebSocket)</td><td>10 s</td>
 *       <td>{@code TlsException} / {@code WebSocketHandshakeException} ({@code TIMEOUT});
 *       connection closed</td></tr>
 *   <tr><td>{@code mtu}: largest UDP request (RFC 3261 §18.1.1), except one sent with
 *       {@code Connection.sendAboveMtu}</td><td>1,300 bytes</td>
 *       <td>{@code MessageTooLargeException}; nothing sent</td></tr>
 *   <tr><td>{@code receiveQueueCapacity}: datagrams waiting for a worker</td><td>4,096</td>
 *       <td>oldest dropped, counted in {@code TransportStats.dropped}</td></tr>
 *   <tr><td>{@code receiveWorkers}: UDP handler threads (virtual)</td><td>max(4, 2 × CPUs)</td><td>-</td></tr>
 *   <tr><td>{@code socketReceiveBuffer}: SO_RCVBUF asked for each datagram socket</td><td>1 MiB</td>
 *       <td>the kernel drops datagrams (bursts beyond it while the reader is descheduled)</td></tr>
 * </table>
 */
module sip.transport.spi {
    requires transitive sip.message;
    exports sip.transport.spi;
    uses sip.transport.spi.TransportProvider;
}
