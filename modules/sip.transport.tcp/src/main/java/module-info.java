/**
 * SIP over TCP (RFC 3261 §18): a transport provider registered through the SPI like any other.
 * Limits and timeouts: see {@code sip.transport.spi}.
 */
module sip.transport.tcp {
    requires sip.transport.spi;
    // The stream machinery (reader loop, framing, limits) is shared with the TLS and WS providers.
    exports sip.transport.tcp.internal to sip.transport.tls, sip.transport.ws;
    provides sip.transport.spi.TransportProvider with sip.transport.tcp.internal.TcpTransportProvider;
}
