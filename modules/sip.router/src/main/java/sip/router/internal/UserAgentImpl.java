package sip.router.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import sip.router.Client;
import sip.router.DialogStats;
import sip.router.Server;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.internal.core.ClientImpl;
import sip.router.internal.core.HostPort;
import sip.router.internal.core.LocalIdentity;
import sip.router.internal.core.Outbound;
import sip.router.internal.core.ServerImpl;
import sip.router.internal.dialog.Dialogs;
import sip.router.internal.transaction.TransactionLayer;
import sip.message.SipUri;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;

/** The {@link UserAgent}: owns the transaction layer, the server and the client. */
public final class UserAgentImpl implements UserAgent {

    /** How long close waits for interrupted handlers to return. */
    private static final Duration HANDLER_PATIENCE = Duration.ofSeconds(1);

    private final Settings settings;
    private final ServerImpl server;
    private final TransactionLayer layer;
    private final ClientImpl client;
    private final Dialogs dialogs;
    private volatile boolean closed;

    /** The settings this agent was built with (tests check the builder's defaults). */
    public Settings settings() {
        return settings;
    }

    public UserAgentImpl(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // The identity reads the listeners through this agent: the layer does not exist yet.
        LocalIdentity local = new LocalIdentity(settings.identity(), settings.hostName(), this::listeners);
        Counters counters = new Counters();
        this.server = new ServerImpl(this::contactFor, settings.maxServerTransactions(), counters);
        this.layer = new TransactionLayer(settings, server, counters);
        this.client = new ClientImpl(settings.name(), local::identity, local::host, Outbound.of(layer),
                settings.credentials());
        this.dialogs = new Dialogs(settings, client);
        client.dialogs(dialogs);
        server.dialogs(dialogs);
    }

    /** The transaction layer (for the proxy, which relays through it). */
    public TransactionLayer transactionLayer() {
        return layer;
    }

    /** The server core (for the proxy, which takes its traffic). */
    public ServerImpl serverImpl() {
        return server;
    }

    private SipUri contactFor(Flow flow, boolean sips) {
        return layer.transport().contactFor(flow, sips);
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
    public void configureTransports(java.util.function.UnaryOperator<sip.transport.spi.TransportConfig> change) {
        Objects.requireNonNull(change, "change");
        layer.transport().configureTransports(change);
    }

    @Override
    public List<Listener> listeners() {
        return layer.listeners();
    }

    @Override
    public TransactionStats stats() {
        return layer.stats();
    }

    @Override
    public DialogStats dialogStats() {
        return dialogs.stats();
    }

    /** A second caller waits for the first close to finish, so every caller returns once closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // First, while the layer still sends: BYE for confirmed dialogs, CANCEL for pending INVITEs.
        dialogs.close();
        layer.close(settings.closeTimeout());
        server.stopHandlers(HANDLER_PATIENCE);
    }

    @Override
    public String toString() {
        return "UserAgent[" + settings.name() + " " + (closed ? "closed" : layer.listeners()) + "]";
    }
}
