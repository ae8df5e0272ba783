/**
 * SIP over TLS (RFC 3261 §26.2, RFC 5922 domain certificates): a transport provider registered
 * through the SPI like any other. It is the TCP provider's stream transport (framing, keep-alive,
 * limits, counts) over {@code SSLSocket}s; certificates, trust and versions come from
 * {@code TransportConfig.tls(...)}, without which the provider refuses to open.
 *
 * <h2>Limits and timers</h2>
 * Those of {@code sip.transport.spi}, plus:
 * <table class="striped">
 *   <caption>TLS specifics</caption>
 *   <tr><th>setting</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>{@code handshakeTimeout}: the whole handshake, not each read</td><td>10 s</td>
 *       <td>inbound: socket closed, {@code Failed} event ({@code TlsException}, {@code TIMEOUT});
 *       outbound: {@code connect} throws it</td></tr>
 *   <tr><td>protocol versions</td><td>TLS 1.3 and 1.2</td>
 *       <td>nothing older is ever enabled; no common version is {@code TlsException}
 *       ({@code PROTOCOL})</td></tr>
 *   <tr><td>TLS 1.3 client certificate verdict: when the server asked for a certificate,
 *       {@code connect} then waits this long for the server to refuse it (after the handshake,
 *       not counted in its timeout; no refusal by then is success)</td>
 *       <td>max(200 ms, 2 × handshake time), at most {@code handshakeTimeout} / 4</td>
 *       <td>{@code TlsException} ({@code CLIENT_CERTIFICATE_REJECTED})</td></tr>
 *   <tr><td>close: how long {@code close_notify} may wait for a peer that does not read</td>
 *       <td>min(1 s, {@code writeTimeout}); 1 s when that is off</td>
 *       <td>the TCP connection is reset; {@code close} returns, {@code Closed} follows</td></tr>
 * </table>
 *
 * <p>The verdict wait is the price of learning in TLS 1.3 that the server refused our certificate
 * (RFC 8446 §4.4.2.4: it says so only after our side of the handshake is over): every TLS 1.3
 * {@code connect} to a server that asks for a client certificate ({@code WANT} or {@code NEED})
 * takes at least 200 ms longer (less only with a handshake timeout under 800 ms). Connects to
 * servers that ask for none, and TLS 1.2, where the refusal ends the handshake itself, pay nothing.
 *
 * <p>Connection reuse: {@code connect} reuses only connections it opened itself, to the same
 * address and server name. Inbound TLS connections are never reused for sending to their peer's
 * address, unlike TCP's: the peer's certificate was not checked against any name we would connect
 * to, and making it so is the business of RFC 5923 aliases, which are not implemented.
 *
 * <p>A client checks the server's certificate against the server name given to
 * {@code connect} by RFC 5922 §7.2 (SAN {@code sip:} URIs and dNSNames; the common name only
 * when the certificate has no subjectAltName at all; no wildcards), or against iPAddress names when there is no server name.
 */
module sip.transport.tls {
    requires sip.transport.spi;
    requires sip.transport.tcp;
    // The SSLContext building, identity check and failure mapping, shared with WSS.
    exports sip.transport.tls.internal to sip.transport.ws;
    provides sip.transport.spi.TransportProvider with sip.transport.tls.internal.TlsTransportProvider;
}
