package sip.transport.loopback.internal;

import java.lang.System.Logger.Level;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.TransportCounters;

/**
 * A transport's {@link InboundHandler}, counted and kept from breaking delivery: whatever it throws
 * is counted, logged and swallowed, because the delivery thread serves every transport on the
 * network. That includes an {@link Error}: in a test it is usually a failed assertion, which the
 * network keeps and rethrows to the test ({@link Network#handlerFailed}) instead of letting it end
 * the delivery thread and silently stop every later delivery.
 */
final class GuardedHandler {

    private static final System.Logger LOG = System.getLogger(GuardedHandler.class.getName());

    private final InboundHandler handler;
    private final TransportCounters counters;
    private final Network network;

    GuardedHandler(InboundHandler handler, TransportCounters counters, Network network) {
        this.handler = handler;
        this.counters = counters;
        this.network = network;
    }

    void message(Connection connection, SipMessage message) {
        counters.messageIn();
        try {
            handler.onMessage(connection, message);
        } catch (Throwable e) {
            failed(e, connection);
        }
    }

    void malformed(Connection connection, ParseResult.Malformed malformed) {
        counters.malformed();
        try {
            handler.onMalformed(connection, malformed);
        } catch (Throwable e) {
            failed(e, connection);
        }
    }

    void event(ConnectionEvent event) {
        try {
            handler.onEvent(event);
        } catch (Throwable e) {
            failed(e, event);
        }
    }

    private void failed(Throwable e, Object where) {
        counters.handlerError();
        LOG.log(Level.WARNING, () -> "inbound handler failed on " + where, e);
        if (e instanceof Error error) {
            network.handlerFailed(error);
        }
    }
}
