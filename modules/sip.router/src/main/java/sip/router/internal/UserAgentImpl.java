package sip.router.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import sip.router.Client;
import sip.router.Server;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.internal.core.ClientImpl;
import sip.router.internal.core.HostPort;
import sip.router.internal.core.LocalIdentity;
import sip.router.internal.core.Outbound;
import sip.router.internal.core.ServerImpl;
import sip.router.internal.transaction.TransactionLayer;
import sip.transport.spi.Listener;

/** The {@link UserAgent}: owns the transaction layer, the server and the client. */
public final class UserAgentImpl implements UserAgent {

    private final Settings settings;
    private final ServerImpl server;
    private final TransactionLayer layer;
    private final ClientImpl client;
    private volatile boolean closed;

    public UserAgentImpl(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // The identity reads the listeners through this agent: the layer does not exist yet.
        LocalIdentity local = new LocalIdentity(settings.identity(), settings.hostName(), this::listeners);
        this.server = new ServerImpl(local::contactFor);
        this.layer = new TransactionLayer(settings, server);
        this.client = new ClientImpl(settings.name(), local::identity, local::contact, Outbound.of(layer));
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Server server() {
        return server;
    }

    @Override
    public Client client() {
        return client;
    }

    /** @throws IllegalArgumentException if {@code hostPort} is not {@code host:port} */
    @Override
    public Listener listen(String protocol, String hostPort) throws IOException {
        Objects.requireNonNull(protocol, "protocol");
        return listen(protocol, HostPort.parse(hostPort).resolve());
    }

    @Override
    public Listener listen(String protocol, InetSocketAddress local) throws IOException {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(local, "local");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("user agent closed");
            }
        }
        return layer.listen(protocol, local);
    }

    @Override
    public List<Listener> listeners() {
        return layer.listeners();
    }

    @Override
    public TransactionStats stats() {
        return layer.stats();
    }

    /** A second caller waits for the first close to finish, so every caller returns once closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        layer.close(settings.closeTimeout());
    }

    @Override
    public String toString() {
        return "UserAgent[" + settings.name() + " " + (closed ? "closed" : layer.listeners()) + "]";
    }
}
