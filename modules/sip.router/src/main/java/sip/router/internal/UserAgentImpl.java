package sip.router.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import sip.router.Client;
import sip.router.Server;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.transport.spi.Listener;

/** The {@link UserAgent}: owns the transaction layer, the server and the client. */
public final class UserAgentImpl implements UserAgent {

    public UserAgentImpl(Settings settings) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public String name() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public Server server() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public Client client() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public Listener listen(String protocol, String hostPort) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public Listener listen(String protocol, InetSocketAddress local) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public List<Listener> listeners() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public TransactionStats stats() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("not built yet");
    }
}
