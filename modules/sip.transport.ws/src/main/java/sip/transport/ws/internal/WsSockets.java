package sip.transport.ws.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportConfig;
import sip.transport.tcp.internal.MessageFraming;
import sip.transport.tcp.internal.SocketDeadline;
import sip.transport.tcp.internal.StreamSockets;
import sip.transport.ws.WebSocketConfig;
import sip.transport.ws.WebSocketHandshakeException;
import sip.transport.ws.WebSocketHandshakeException.Reason;

/**
 * WebSocket sockets for the stream transport: the sockets of {@code base} (plain TCP for
 * {@code ws}, TLS for {@code wss}) with the HTTP upgrade (RFC 6455 §4) run in {@link #open} and
 * WebSocket framing after it. Safe for any number of threads.
 */
final class WsSockets implements StreamSockets {

    /** How long a refused client may take to read the answer and close before the socket is closed anyway. */
    private static final Duration REFUSAL_LINGER = Duration.ofSeconds(1);

    /** The keys of a connection that never masks (a server's): asking is a bug. */
    private static final RandomGenerator NO_KEYS = () -> {
        throw new IllegalStateException("a server does not mask its frames");
    };

    private final StreamSockets base;
    private final Protocol protocol;
    private final WebSocketConfig ws;
    private final int maxMessageSize;
    /**
     * Handshake nonces (one per connect) and the seed of each client connection's
     * {@link MaskingKeys}; never drawn from per frame. Thread-safe.
     */
    private final SecureRandom random = new SecureRandom();

    WsSockets(StreamSockets base, Protocol protocol, WebSocketConfig ws, int maxMessageSize) {
        this.base = base;
        this.protocol = protocol;
        this.ws = ws;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public ServerSocket bind(InetSocketAddress local, int backlog) throws IOException {
        return base.bind(local, backlog);
    }

    /** {@code TCP_NODELAY} is set by both bases (TCP and TLS): a frame never waits on Nagle. */
    @Override
    public Socket accepted(Socket raw, Duration handshakeTimeout) throws IOException {
        return base.accepted(raw, handshakeTimeout);
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout) throws IOException {
        return base.connect(remote, serverName, connectTimeout, handshakeTimeout);
    }

    @Override
    public Layered connect(InetSocketAddress remote, String serverName, Duration connectTimeout,
            Duration handshakeTimeout, Consumer<Socket> created) throws IOException {
        return base.connect(remote, serverName, connectTimeout, handshakeTimeout, created);
    }

    /**
     * The HTTP upgrade within {@code handshakeTimeout}: served for an accepted socket, asked for a
     * connected one. A deadline closes the socket when the time is up, so a peer trickling its
     * head byte by byte cannot hold the connection slot.
     */
    @Override
    public MessageFraming open(Layered socket, boolean inbound, String serverName, TransportConfig config,
            Duration handshakeTimeout) throws IOException {
        SocketDeadline deadline = new SocketDeadline(socket.raw(), handshakeTimeout, false);
        byte[] unread;
        try {
            unread = inbound ? serve(socket, deadline) : ask(socket, serverName);
        } catch (IOException e) {
            if (!deadline.disarm()) {
                throw timeout(e);
            }
            throw e;
        }
        if (!deadline.disarm()) {
            throw timeout(null);
        }
        // Only a client masks: a server connection needs no keys (and costs no SecureRandom call).
        RandomGenerator keys = inbound ? NO_KEYS : MaskingKeys.seededFrom(random);
        return new WsFraming(inbound ? Role.SERVER : Role.CLIENT, ws.maxFrameSize(), maxMessageSize,
                config.parser(), keys, unread);
    }

    private WebSocketHandshakeException timeout(IOException cause) {
        return new WebSocketHandshakeException(Reason.TIMEOUT, 0, "the WebSocket handshake did not finish within"
                + " the handshake timeout", cause);
    }

    /** Reads the request and answers it; returns the bytes read past it, or throws the refusal. */
    private byte[] serve(Layered socket, SocketDeadline deadline) throws IOException {
        Socket stream = socket.stream();
        HttpHead request;
        ServerHandshake.Answer answer;
        try {
            request = HttpHead.read(stream.getInputStream());
            answer = ServerHandshake.answer(request, ws);
        } catch (HttpHead.HeadException e) {
            if (e.problem() == HttpHead.Problem.TRUNCATED) {
                throw new WebSocketHandshakeException(Reason.MALFORMED_REQUEST, 0, "the client " + e.getMessage());
            }
            request = null;
            answer = ServerHandshake.refuse(e);
        }
        OutputStream out = stream.getOutputStream();
        out.write(answer.bytes());
        out.flush();
        if (answer.accepted()) {
            return request.rest();
        }
        if (deadline.disarm()) {
            linger(socket);
        }
        throw answer.refusal();
    }

    /**
     * After a refusal: says it is done sending, then reads whatever the client still sends until it
     * closes, for a little while. Closing with unread bytes (the rest of a head too large) would
     * reset the connection, and a reset can destroy the answer before the client reads it.
     */
    private static void linger(Layered socket) {
        SocketDeadline giveUp = new SocketDeadline(socket.raw(), REFUSAL_LINGER, false);
        try {
            if (socket.layered()) {
                socket.stream().close(); // TLS: close_notify says it; no half-close to wait on
                return;
            }
            socket.raw().shutdownOutput();
            InputStream in = socket.raw().getInputStream();
            byte[] discard = new byte[4096];
            while (in.read(discard) >= 0) {
                // the client's leftovers: nobody reads them
            }
        } catch (IOException e) {
            // the client is gone, or the linger ran out: the answer went out either way
        } finally {
            giveUp.disarm();
        }
    }

    /** Sends the upgrade request and checks the answer; returns the bytes read past it. */
    private byte[] ask(Layered socket, String serverName) throws IOException {
        Socket stream = socket.stream();
        ClientHandshake handshake = ClientHandshake.request((InetSocketAddress) socket.raw().getRemoteSocketAddress(),
                serverName, ws.connectPath(), protocol.defaultPort(), random);
        OutputStream out = stream.getOutputStream();
        out.write(handshake.request());
        out.flush();
        HttpHead response;
        try {
            response = HttpHead.read(stream.getInputStream());
        } catch (HttpHead.HeadException e) {
            throw new WebSocketHandshakeException(Reason.BAD_RESPONSE, 0, "the server's answer: " + e.getMessage(), e);
        }
        handshake.check(response);
        return response.rest();
    }
}
