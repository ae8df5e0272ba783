package sip.router.internal.transaction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.Destination;
import sip.router.internal.transport.OutboundRequest;
import sip.router.internal.transport.OutboundResponse;
import sip.transport.spi.Connection;

/** A transport layer stand-in: stamps a Via, sends on a given connection, records the rest. */
final class FakeWire implements Wire {

    private final FakeConnection connection;
    private int branches;
    volatile IOException prepareFailure;
    final List<SipMessage> stateless = new ArrayList<>();
    volatile boolean stoppedListening;
    volatile boolean closed;

    FakeWire(FakeConnection connection) {
        this.connection = connection;
    }

    @Override
    public synchronized OutboundRequest prepare(SipRequest request, Destination explicit) throws IOException {
        if (prepareFailure != null) {
            throw prepareFailure;
        }
        Via via = Via.of(connection.protocol().viaToken(), "127.0.0.1", 5060, "z9hG4bKfake" + (++branches))
                .withParameter("rport", null);
        SipRequest stamped = request.toBuilder().via(via).build();
        Destination to = explicit != null ? explicit
                : Destination.of(connection.protocol().name(), connection.flow().remote());
        return new OutboundRequest(stamped, to, connection, stamped.toBytes());
    }

    @Override
    public OutboundResponse sendResponse(SipResponse response, Connection arrival) throws IOException {
        byte[] bytes = response.toBytes();
        arrival.send(bytes);
        return new OutboundResponse(response, arrival, bytes);
    }

    @Override
    public synchronized SipMessage sendStateless(SipMessage message, Connection arrivalOrNull) throws IOException {
        stateless.add(message);
        return message;
    }

    /** Thrown by {@link #stopListening}, when set. */
    volatile RuntimeException stopListeningFailure;

    @Override
    public void stopListening() {
        if (stopListeningFailure != null) {
            throw stopListeningFailure;
        }
        stoppedListening = true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
