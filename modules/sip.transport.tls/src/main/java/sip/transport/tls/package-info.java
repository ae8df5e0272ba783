/**
 * TLS transport provider. The implementation lives in the unexported
 * {@code sip.transport.tls.internal}; use it through {@code sip.transport.spi.Transports}.
 */
package sip.transport.tls;
