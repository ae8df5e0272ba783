package sip.router.internal.transaction;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.TransactionStats;
import sip.router.internal.Counters;
import sip.router.internal.Settings;
import sip.router.internal.transport.InboundSink;
import sip.router.internal.transport.TransportLayer;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;

/**
 * The four transaction machines of RFC 3261 §17 with RFC 6026, their matching tables (§17.1.3,
 * §17.2.3 with the RFC 2543 fallback), CANCEL handling (§9), the server-transaction cap, and the
 * {@link TransportLayer} under them. Every timer runs on {@link Settings#scheduler()}.
 *
 * <p>Thread-safe; inbound messages arrive on transport threads and are never blocked on the user.
 */
public final class TransactionLayer implements InboundSink, AutoCloseable {

    public TransactionLayer(Settings settings, TransactionUser user) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The transport layer under this one (it calls this layer back as its {@link InboundSink}). */
    public TransportLayer transport() {
        throw new UnsupportedOperationException("not built yet");
    }

    public Listener listen(String protocol, InetSocketAddress local) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    public List<Listener> listeners() {
        throw new UnsupportedOperationException("not built yet");
    }

    public Set<String> protocols() {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Starts a client transaction: prepares {@code request} with the transport layer (Via,
     * destination, connection), sends it and runs the machine. Never throws for network trouble:
     * the transaction ends with a synthesized 408/503 instead. ACK and CANCEL are refused.
     */
    public ClientTransaction sendRequest(SipRequest request, Destination explicit) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** A request (new Via, located) or response (§18.2.2) without a transaction. */
    public void sendStateless(SipMessage message) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    public TransactionStats stats() {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Graceful close: stop listening, answer new requests 503, wait up to {@code grace} (on the
     * scheduler's clock) for live transactions to end, then end the rest and close transports.
     */
    public void close(Duration grace) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    @Override
    public void onRequest(SipRequest request, Connection connection) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void onResponse(SipResponse response, Connection connection) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void onFlowClosed(Flow flow) {
        throw new UnsupportedOperationException("not built yet");
    }
}
