package sip.transport.loopback.internal;

import java.lang.System.Logger.Level;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.TransportCounters;

/**
 * A transport's {@link InboundHandler}, counted and kept from breaking delivery: an exception it
 * throws is counted, logged and swallowed, because the delivery thread serves every transport on
 * the network.
 */
final class GuardedHandler {

    private static final System.Logger LOG = System.getLogger(GuardedHandler.class.getName());

    private final InboundHandler handler;
    private final TransportCounters counters;

    GuardedHandler(InboundHandler handler, TransportCounters counters) {
        this.handler = handler;
        this.counters = counters;
    }

    void message(Connection connection, SipMessage message) {
        counters.messageIn();
        try {
            handler.onMessage(connection, message);
        } catch (RuntimeException e) {
            failed(e, connection);
        }
    }

    void malformed(Connection connection, ParseResult.Malformed malformed) {
        counters.malformed();
        try {
            handler.onMalformed(connection, malformed);
        } catch (RuntimeException e) {
            failed(e, connection);
        }
    }

    void event(ConnectionEvent event) {
        try {
            handler.onEvent(event);
        } catch (RuntimeException e) {
            failed(e, event);
        }
    }

    private void failed(RuntimeException e, Object where) {
        counters.handlerError();
        LOG.log(Level.WARNING, () -> "inbound handler failed on " + where, e);
    }
}
