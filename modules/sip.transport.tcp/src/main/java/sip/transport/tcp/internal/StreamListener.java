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
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(5);

    private final StreamTransport transport;
    private final ServerSocket server;
    private final InetSocketAddress local;
    private volatile boolean open = true;
    /** The thread running {@link #run()}, so close() can wait for the accept to let go of the port. */
    private volatile Thread acceptor;

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
        acceptor = Thread.currentThread();
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

    /**
     * Idempotent, and complete when it returns even if another thread is closing it too: the JDK
     * may finish closing a server socket only when the thread parked in {@code accept} wakes up,
     * so this waits (bounded) for the accept loop to end; then the port is free to bind again.
     */
    @Override
    public void close() {
        open = false;
        StreamTransport.closeQuietly(server);
        transport.unregister(this);
        Thread t = acceptor;
        if (t != null && t != Thread.currentThread()) {
            try {
                if (!t.join(CLOSE_WAIT)) {
                    LOG.log(Level.WARNING, "accept loop of {0} still running {1} after close", this, CLOSE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the socket is closed; only the wait is cut short
            }
        }
    }

    @Override
    public String toString() {
        return transport.protocol().name() + " listener " + local;
    }
}
