package sip.transport.spi;

import sip.message.ParseResult;
import sip.message.SipMessage;

/**
 * Where a transport delivers what it receives.
 *
 * <p>Threading contract: a stream connection calls its handler on its own (virtual) reader
 * thread, one message after the other, so a handler that blocks slows down that connection's
 * reads and nothing else; UDP calls it on one of {@link TransportConfig#receiveWorkers()} virtual
 * threads. Other transports document their threading; every transport calls a handler one call
 * at a time per connection. A handler may send on the connection before returning. An exception thrown by a
 * handler is counted ({@link TransportStats#handlerErrors()}), logged, and does not close the
 * connection or the listener.
 */
public interface InboundHandler {

    /** A well-formed message from the peer of {@code connection}. */
    void onMessage(Connection connection, SipMessage message);

    /**
     * Bytes that are not a valid message. The handler may answer a request with
     * {@code malformed.error().status()} using {@code malformed.partial()} (RFC 3261 §8.2). On a
     * stream whose framing is lost ({@link sip.message.StreamFramer#framingLost()}: unreadable
     * head, bad Content-Length, oversize) the connection is closed after this returns; a message
     * that was framed but is invalid (a bad CSeq) leaves the connection open.
     */
    default void onMalformed(Connection connection, ParseResult.Malformed malformed) {
    }

    /** A connection opened, closed or failed to open. */
    default void onEvent(ConnectionEvent event) {
    }
}
