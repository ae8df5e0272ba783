package sip.router.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Destination;
import sip.router.internal.Counters;
import sip.router.internal.Settings;
import sip.transport.spi.Connection;
import sip.transport.spi.Listener;

/**
 * The transport layer of RFC 3261 §18 and RFC 3581 over the transport SPI: opens one
 * {@link sip.transport.spi.Transport} per protocol on first listen or send, parses nothing itself
 * (transports deliver parsed messages), stamps and routes requests, routes responses, answers
 * malformed requests statelessly, and logs every message at DEBUG on the
 * {@code sip.router.messages} logger.
 *
 * <p>Thread-safe. Failures to send are counted ({@link Counters#transportErrors}) and logged, never
 * fatal to a listener.
 */
public final class TransportLayer implements AutoCloseable {

    public TransportLayer(Settings settings, InboundSink sink, Counters counters) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Binds a listener for {@code protocol}, opening that transport on first use. */
    public Listener listen(String protocol, InetSocketAddress local) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    public List<Listener> listeners() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The protocol names this layer can send on: those with an open transport or a provider. */
    public Set<String> protocols() {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Locates {@code request} (first Route if loose-routing, else Request-URI; or
     * {@code explicit}), picks the transport (explicit, {@code transport=}, sips ⇒ TLS, size over
     * the MTU on UDP ⇒ TCP), adds a top Via with a fresh branch and {@code rport}, and opens or
     * reuses the connection. Does not send.
     *
     * @throws UnresolvableException when no destination can be found
     * @throws IOException when the connection cannot be opened
     */
    public OutboundRequest prepare(SipRequest request, Destination explicit) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Sends a response per RFC 3261 §18.2.2 / RFC 3581 §4 given the connection its request
     * arrived on: that connection if reliable and open (else a new one to received/port), UDP to
     * received and rport (or sent-by port), maddr when present; never to a broadcast or
     * multicast address taken from a Via.
     */
    public OutboundResponse sendResponse(SipResponse response, Connection arrival) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Sends a request (stamped and located as {@link #prepare}) or a response, no transaction. */
    public void sendStateless(SipMessage message, Connection arrivalOrNull) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Stops accepting: closes every listener, keeps connections open for replies. */
    public void stopListening() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Closes every transport. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not built yet");
    }
}
