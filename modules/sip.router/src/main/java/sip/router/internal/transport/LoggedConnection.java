package sip.router.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import sip.message.SipMessage;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;

/**
 * The connection handed out in an {@link OutboundRequest} or {@link OutboundResponse}: the
 * transport's own, with every send logged on {@code sip.router.messages}, so that first
 * transmissions, retransmissions, ACKs and CANCELs sent straight on it by the transaction layer
 * are logged like everything else. Costs one check per send when DEBUG is off.
 *
 * <p>One made by {@link #aboveMtu} sends everything with {@link Connection#sendAboveMtu}: the
 * UDP flow of a request that RFC 3261 §18.1.1 moved to TCP and the peer refused there, whose
 * first transmission and retransmissions must all leave at their size.
 */
final class LoggedConnection implements Connection {

    private final Connection connection;
    /** The message it was made for; its Call-ID (the transaction's) heads each log entry. */
    private final SipMessage about;

    /** Whether {@link #send} waives the transport's MTU policy ({@link #aboveMtu}). */
    private final boolean aboveMtu;

    private LoggedConnection(Connection connection, SipMessage about, boolean aboveMtu) {
        this.connection = connection;
        this.about = about;
        this.aboveMtu = aboveMtu;
    }

    static Connection of(Connection connection, SipMessage about) {
        return new LoggedConnection(unwrap(connection), about, false);
    }

    /** As {@link #of}, every send going out with {@link Connection#sendAboveMtu}. */
    static Connection aboveMtu(Connection connection, SipMessage about) {
        return new LoggedConnection(unwrap(connection), about, true);
    }

    /** The transport's connection under a logged one, or {@code connection} itself. */
    static Connection unwrap(Connection connection) {
        return connection instanceof LoggedConnection logged ? logged.connection : connection;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        send(message, aboveMtu);
    }

    @Override
    public void sendAboveMtu(ByteBuffer message) throws IOException {
        send(message, true);
    }

    private void send(ByteBuffer message, boolean pastMtu) throws IOException {
        ByteBuffer copy = MessageLog.enabled() ? message.duplicate() : null;
        if (pastMtu) {
            connection.sendAboveMtu(message);
        } else {
            connection.send(message);
        }
        if (copy != null) {
            MessageLog.sent(connection, MessageLog.callId(about), copy);
        }
    }

    @Override
    public Flow flow() {
        return connection.flow();
    }

    @Override
    public Protocol protocol() {
        return connection.protocol();
    }

    @Override
    public boolean inbound() {
        return connection.inbound();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return connection.tlsSession();
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
