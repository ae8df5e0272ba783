package sip.router.internal.transport;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.internal.Counters;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;

/**
 * The handler of every transport a {@link TransportLayer} opens: the receiving half of RFC 3261
 * §18. Requests get {@code received}/{@code rport} and go to the sink; responses go to the sink
 * only when their top Via is one this layer stamped (§18.1.2); malformed requests that can be
 * answered get a stateless error response; everything else is counted and dropped. Runs on
 * transport threads and never throws.
 */
final class InboundRouter implements InboundHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboundRouter.class);

    private final TransportLayer layer;
    private final InboundSink sink;
    private final Counters counters;
    private final LocalVias vias;

    InboundRouter(TransportLayer layer, InboundSink sink, Counters counters, LocalVias vias) {
        this.layer = layer;
        this.sink = sink;
        this.counters = counters;
        this.vias = vias;
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        if (MessageLog.enabled()) {
            MessageLog.received(connection, message);
        }
        switch (message) {
            case SipRequest request -> request(connection, request);
            case SipResponse response -> response(connection, response);
        }
    }

    private void request(Connection connection, SipRequest request) {
        SipRequest stamped;
        try {
            stamped = ReceivedStamp.apply(request, connection.remoteAddress());
        } catch (SipParseException e) {
            // Only with LAZY validation: a Via the transport did not check turned out bad.
            onMalformed(connection, new ParseResult.Malformed(e.error(), request));
            return;
        }
        sink.onRequest(stamped, connection);
    }

    private void response(Connection connection, SipResponse response) {
        Via top;
        try {
            top = response.topVia();
        } catch (SipParseException e) {
            onMalformed(connection, new ParseResult.Malformed(e.error(), response));
            return;
        }
        if (!vias.isOwn(top, connection)) {
            counters.strayResponses.increment();
            LOG.debug("dropping a {} response from {}: top Via sent-by {} is not ours (RFC 3261 §18.1.2)",
                    response.statusCode(), connection.remoteAddress(), top.sentBy());
            return;
        }
        sink.onResponse(response, connection);
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
        if (MessageLog.enabled()) {
            MessageLog.malformed(connection, malformed);
        }
        SipResponse answer;
        try {
            answer = MalformedAnswer.of(malformed, connection.remoteAddress());
        } catch (RuntimeException e) {
            answer = null;
            LOG.debug("cannot build an answer to a malformed message from {}: {}", connection.remoteAddress(), e.toString());
        }
        if (answer == null) {
            counters.malformedDropped.increment();
            LOG.debug("dropping malformed input from {} over {}: {}", connection.remoteAddress(),
                    connection.protocol().name(), malformed.error());
            return;
        }
        try {
            layer.sendResponse(answer, connection);
            counters.statelessResponses.increment();
        } catch (IOException | RuntimeException e) {
            // sendResponse counted and logged a transport failure already.
            LOG.debug("could not answer malformed input from {}: {}", connection.remoteAddress(), e.toString());
        }
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        switch (event) {
            case ConnectionEvent.Closed closed -> {
                layer.closed(closed.connection());
                sink.onFlowClosed(closed.connection().flow());
            }
            // Not a flow anyone holds: the event names no local address, so a Flow made from it
            // (wildcard local side) can never equal a transaction's, and a failed outbound
            // connect already threw from prepare() to the one who asked for it.
            case ConnectionEvent.Failed failed -> LOG.debug("{} connection to {} failed: {}",
                    failed.protocol(), failed.remote(), failed.cause() == null ? "-" : failed.cause().toString());
            case ConnectionEvent.Opened opened -> layer.opened(opened.connection());
        }
    }
}
