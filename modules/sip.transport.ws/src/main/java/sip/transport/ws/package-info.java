/**
 * SIP over WebSocket (RFC 7118): the settings of the {@code ws} and {@code wss} transports
 * ({@link sip.transport.ws.WebSocketConfig}) and the failure of a refused handshake
 * ({@link sip.transport.ws.WebSocketHandshakeException}). The transports themselves are opened
 * through {@code sip.transport.spi} like any other.
 */
package sip.transport.ws;
