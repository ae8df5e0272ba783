package sip.router.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.Via;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.router.internal.Counters;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;

/**
 * The connection a response takes under RFC 3263 §5 when its request's connection is gone and
 * none can be opened to the client's {@code received} address: the Via's sent-by host is located
 * ({@link ServerLocator#locateSentBy}: SRV for the protocol when the Via has no port, else A/AAAA)
 * and each destination tried in order until a connection opens.
 *
 * <p>The lookup and the connects run on a virtual thread of their own, started at once: a
 * response may be sent from a transport or timer thread, which must never wait on DNS (the name,
 * and so the latency, is the peer's choice). Until that connection is open, what is sent here is
 * queued, in order, and written to it once it is; afterwards sends go straight to it, so a
 * transaction's retransmissions use the connection the lookup opened. When no destination can
 * be reached, the queue is dropped (counted as a transport error and logged) and later sends
 * fail. Multicast, broadcast and unspecified addresses found are skipped, as for any address a
 * Via names.
 */
final class SentByConnection implements Connection {

    private static final Logger LOG = LoggerFactory.getLogger(SentByConnection.class);

    private final Protocol protocol;
    /** Until connected: the {@code received} address the first connect failed to reach. */
    private final Flow placeholder;
    // guarded by this
    private Connection connection;
    private IOException failure;
    private List<ByteBuffer> queued = new ArrayList<>(1);

    private SentByConnection(Protocol protocol, InetSocketAddress received) {
        this.protocol = protocol;
        this.placeholder = new Flow(protocol.name(), new InetSocketAddress(0), received);
    }

    /**
     * Starts locating the sent-by of {@code via} and connecting; returns at once.
     *
     * @param received where the connection that failed was to go
     * @param receivedFailure why it failed, kept as the suppressed cause of a total failure
     */
    static SentByConnection open(TransportLayer layer, ServerLocator locator, Counters counters, Protocol protocol,
                                 Via via, InetSocketAddress received, IOException receivedFailure) {
        SentByConnection c = new SentByConnection(protocol, received);
        Thread.startVirtualThread(() -> c.connect(layer, locator, counters, via, receivedFailure));
        return c;
    }

    private void connect(TransportLayer layer, ServerLocator locator, Counters counters, Via via,
                         IOException receivedFailure) {
        IOException why = new IOException("no connection for a response to sent-by " + via.host()
                + (via.port() >= 0 ? ":" + via.port() : "") + " over " + protocol.name()
                + " (RFC 3263 §5), nor to received " + placeholder.remote());
        why.addSuppressed(receivedFailure);
        try {
            List<Destination> found = locator.locateSentBy(protocol.name(), via.host(), via.port());
            for (Destination d : found) {
                if (HostAddresses.isForbiddenTarget(d.address().getAddress())) {
                    why.addSuppressed(new IOException("skipped " + d + ": multicast, broadcast or unspecified"));
                    continue;
                }
                try {
                    Connection opened = layer.transport(d.protocol())
                            .connect(d.address(), protocol.secure() ? via.host() : null);
                    if (flushTo(opened)) {
                        LOG.debug("response to {} goes to {} (RFC 3263 §5)", via.host(), d);
                        return;
                    }
                    opened.close();
                } catch (IOException e) {
                    why.addSuppressed(e);
                }
            }
        } catch (IOException | RuntimeException e) {
            why.addSuppressed(e);
        }
        synchronized (this) {
            failure = why;
            queued = null;
        }
        counters.transportErrors.increment();
        LOG.info("response not sent: {}", why.getMessage());
    }

    /**
     * Sends what is queued on {@code opened}, then makes it the connection; false if a send
     * fails (what was queued stays queued, in order, for the next destination). Sends outside
     * the monitor: a transport thread queuing meanwhile must not wait on this one's write.
     */
    private boolean flushTo(Connection opened) {
        while (true) {
            List<ByteBuffer> batch;
            synchronized (this) {
                if (queued.isEmpty()) {
                    connection = opened;
                    queued = null;
                    return true;
                }
                batch = queued;
                queued = new ArrayList<>(1);
            }
            try {
                for (ByteBuffer b : batch) {
                    opened.send(b.duplicate());
                }
            } catch (IOException e) {
                synchronized (this) {
                    batch.addAll(queued);
                    queued = batch;
                }
                return false;
            }
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        Connection c;
        synchronized (this) {
            c = connection;
            if (c == null) {
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                queued.add(ByteBuffer.allocate(message.remaining()).put(message.duplicate()).flip());
                return;
            }
        }
        c.send(message);
    }

    private synchronized Connection connected() {
        return connection;
    }

    @Override
    public Flow flow() {
        Connection c = connected();
        return c != null ? c.flow() : placeholder;
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public boolean inbound() {
        return false;
    }

    @Override
    public synchronized boolean isOpen() {
        return connection != null ? connection.isOpen() : failure == null;
    }

    @Override
    public void close() {
        Connection c = connected();
        if (c != null) {
            c.close();
        }
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        Connection c = connected();
        return c != null ? c.tlsSession() : Optional.empty();
    }

    @Override
    public String toString() {
        Connection c = connected();
        return c != null ? c.toString() : "sent-by lookup for " + placeholder;
    }
}
