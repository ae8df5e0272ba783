package sip.transport.tcp.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;

/**
 * A bound server socket and its accept loop. Single-thread contract: {@link #run()} runs on the
 * listener's own thread and only accepts; each accepted socket gets a thread of its own from the
 * transport before anything is read or handshaken, so a slow peer never delays the next accept.
 */
final class StreamListener implements Listener {

    private static final System.Logger LOG = System.getLogger(StreamListener.class.getName());
    /** After a failed accept (e.g. out of file descriptors): retry soon, but do not spin. */
    private static final long ACCEPT_RETRY_MILLIS = 50;

    private final StreamTransport transport;
    private final ServerSocket server;
    private final InetSocketAddress local;
    private volatile boolean open = true;

    StreamListener(StreamTransport transport, ServerSocket server) {
        this.transport = transport;
        this.server = server;
        this.local = (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public Protocol protocol() {
        return transport.protocol();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The accept loop; returns once the listener is closed. */
    void run() {
        while (isOpen()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!isOpen()) {
                    return;
                }
                if (server.isClosed()) {
                    close();
                    return;
                }
                LOG.log(Level.WARNING, () -> "accept failed on " + this, e);
                try {
                    TimeUnit.MILLISECONDS.sleep(ACCEPT_RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    close();
                    return;
                }
                continue;
            }
            transport.accepted(socket, this);
        }
    }

    /** Idempotent, and complete when it returns even if another thread is closing it too. */
    @Override
    public void close() {
        open = false;
        StreamTransport.closeQuietly(server);
        transport.unregister(this);
    }

    @Override
    public String toString() {
        return transport.protocol().name() + " listener " + local;
    }
}
