/**
 * SIP over UDP (RFC 3261 §18): a transport provider registered through the SPI like any other.
 * Nothing is exported; the stack reaches it through {@code sip.transport.spi.Transports}.
 *
 * <h2>Threads</h2>
 * Each bound socket (a listener, or one of the lazily opened client sockets, one per address
 * family) has one virtual reader thread running a plain blocking receive loop. The reader only
 * copies each datagram out of its one reused 65,535-byte direct buffer and queues it; parsing and
 * the handler run on {@code receiveWorkers} virtual worker threads, so a slow handler never
 * stops a socket from being drained. Each socket asks the kernel for a receive buffer of
 * {@code socketReceiveBuffer} (1 MiB by default)
 * (granted up to {@code net.core.rmem_max} on Linux) to absorb bursts while the reader waits for a
 * carrier thread.
 *
 * <p>NIO closes a channel when a thread blocked on it is interrupted. A sender's pending interrupt
 * is set aside for the send; if one still closes the shared channel (a sender interrupted while
 * blocked on a full send buffer), the socket binds its address again and starts a new reader,
 * logged as a warning, so one caller's interrupt never takes a listener away from everyone.
 *
 * <p>Per datagram the read path allocates only the exactly-sized {@code byte[]} the datagram is
 * copied into once (the message's own storage), the flow view handed to the handler and the parsed
 * message: no per-packet buffers, no boxing, no string building.
 *
 * <h2>Limits</h2>
 * Defaults are set on {@code sip.transport.spi.TransportConfig.Builder}; the table in
 * {@code sip.transport.spi} lists them all. Those that apply to UDP:
 * <table class="striped">
 *   <caption>UDP limits</caption>
 *   <tr><th>limit</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>{@code mtu}: largest request sent (RFC 3261 §18.1.1); responses are exempt, and
 *       so is a request sent with {@code Connection.sendAboveMtu} (§18.1.1's retry over UDP
 *       after the peer refused TCP)</td>
 *       <td>1,300 bytes</td><td>{@code MessageTooLargeException}, nothing sent</td></tr>
 *   <tr><td>any datagram sent</td><td>65,507 bytes (IPv4 payload limit)</td>
 *       <td>{@code MessageTooLargeException}, nothing sent</td></tr>
 *   <tr><td>{@code receiveQueueCapacity}: datagrams read and waiting for a worker</td>
 *       <td>4,096</td><td>the oldest queued datagram is dropped and counted
 *       ({@code TransportStats.dropped}); the reader never blocks</td></tr>
 *   <tr><td>{@code receiveWorkers}: virtual threads parsing and calling the handler</td>
 *       <td>max(4, 2 × CPUs)</td><td>-</td></tr>
 *   <tr><td>{@code parser.maxMessageSize}</td><td>65,536 bytes</td>
 *       <td>{@code onMalformed} (413)</td></tr>
 * </table>
 * Connection limits and idle, read, write, connect and handshake timeouts do not apply: UDP has
 * no connections, and a blocking datagram send never waits on the peer.
 *
 * <h2>Keep-alives</h2>
 * A datagram of only CR and LF bytes (the ping many user agents send over UDP, although RFC 5626
 * §3.5.1 defines CRLF keep-alives for streams only) and a datagram whose first byte
 * is 0 to 3 (STUN, told apart from SIP as RFC 7983 demultiplexes; RFC 5626 §4.4.2) are counted in
 * {@code TransportStats.keepAlives} and otherwise ignored. STUN binding requests are not answered:
 * a client that keeps its NAT binding alive with STUN gets no binding response from this provider.
 */
module sip.transport.udp {
    requires sip.transport.spi;
    provides sip.transport.spi.TransportProvider with sip.transport.udp.internal.UdpTransportProvider;
}
