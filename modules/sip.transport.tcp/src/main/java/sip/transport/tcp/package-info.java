/**
 * SIP over TCP. The provider and the stream machinery it shares with TLS live in the unexported
 * {@code sip.transport.tcp.internal}; applications reach the transport through
 * {@code sip.transport.spi.Transports.open("tcp", config, handler)}.
 */
package sip.transport.tcp;
