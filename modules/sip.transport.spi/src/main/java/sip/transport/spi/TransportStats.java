package sip.transport.spi;

/**
 * A snapshot of one {@link Transport}'s live counts and running totals. Live counts
 * ({@link #sockets}, {@link #listeners}, {@link #connections}) go back to zero when everything is
 * closed; tests assert that.
 *
 * @param protocol lower-case protocol name
 * @param sockets open operating-system sockets (listeners, connections, UDP client sockets)
 * @param listeners open listeners
 * @param connections open connections (always 0 for UDP, whose flows are not connections)
 * @param accepted connections accepted since the transport opened
 * @param connected outbound connections opened
 * @param refused inbound or outbound connections refused by the connection limit
 * @param failed connections that failed to open (connect error, TLS/WebSocket handshake)
 * @param timedOut connections closed by the idle, read or write timeout
 * @param messagesIn messages delivered to the handler
 * @param messagesOut messages sent
 * @param bytesIn bytes received
 * @param bytesOut bytes sent
 * @param malformed inputs delivered as malformed
 * @param keepAlives keep-alive pings received (and answered)
 * @param dropped messages shed because the handler could not keep up (UDP)
 * @param handlerErrors exceptions thrown by the handler
 */
public record TransportStats(
        String protocol,
        int sockets,
        int listeners,
        int connections,
        long accepted,
        long connected,
        long refused,
        long failed,
        long timedOut,
        long messagesIn,
        long messagesOut,
        long bytesIn,
        long bytesOut,
        long malformed,
        long keepAlives,
        long dropped,
        long handlerErrors) {
}
