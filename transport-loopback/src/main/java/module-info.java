/**
 * Test fixture, not part of the stack: an in-memory transport provided through the SPI exactly as
 * a third party's would be. Two protocols, {@code mem} (datagram-like, unreliable) and
 * {@code mem-stream} (reliable, in order, with connections), run over a
 * {@link sip.transport.loopback.LoopbackNetwork} that a test builds and passes in
 * {@link sip.transport.spi.TransportConfig#extension}.
 *
 * <h2>Limits</h2>
 * <table class="striped">
 *   <caption>Loopback limits</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>{@code LoopbackNetwork.Builder.capacity}: messages in flight and held</td><td>10,000</td>
 *       <td>{@code mem}: dropped and counted; {@code mem-stream}: the send throws, the connection closes
 *       ({@code ERROR})</td></tr>
 *   <tr><td>{@code TransportConfig.mtu} ({@code mem} requests)</td><td>1,300 bytes</td>
 *       <td>{@code MessageTooLargeException}; responses up to 65,507 bytes</td></tr>
 *   <tr><td>{@code TransportConfig.maxConnections} ({@code mem-stream})</td><td>4,096</td>
 *       <td>{@code connect} throws {@code ConnectionLimitException} (own limit) or
 *       {@code ConnectException} (the peer's); a {@code Failed} event on each side that refused</td></tr>
 *   <tr><td>parser {@code maxMessageSize}</td><td>65,536 bytes</td>
 *       <td>{@code onMalformed}; a {@code mem-stream} connection is then closed ({@code MALFORMED})</td></tr>
 *   <tr><td>idle, read, write, connect and handshake timeouts; receive workers and queue</td><td>-</td>
 *       <td>not applied: time is the network's delays, delivery its single thread</td></tr>
 * </table>
 */
module sip.transport.loopback {
    requires transitive sip.transport.spi;
    exports sip.transport.loopback;
    provides sip.transport.spi.TransportProvider with sip.transport.loopback.internal.LoopbackTransportProvider;
}
