package sip.transport.spi;

import java.net.InetSocketAddress;

/** A bound socket accepting connections (TCP, TLS, WS) or receiving datagrams (UDP). */
public interface Listener extends AutoCloseable {

    Protocol protocol();

    /** The bound address; the real port when the listener was asked for port 0. */
    InetSocketAddress localAddress();

    boolean isOpen();

    /** Stops accepting; connections already accepted stay open. Idempotent. */
    @Override
    void close();
}
