package sip.transport.spi;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import sip.message.SipParser;

/**
 * Limits, timeouts and settings shared by every transport of a stack. Immutable; made with
 * {@link #newBuilder()}. Each default is given once, on its builder method, and listed in the
 * module documentation. A duration of {@link Duration#ZERO} turns that timeout off.
 */
public final class TransportConfig {

    private final SipParser parser;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Duration idleTimeout;
    private final Duration messageReadTimeout;
    private final Duration writeTimeout;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final int mtu;
    private final int receiveQueueCapacity;
    private final int receiveWorkers;
    private final int socketReceiveBuffer;
    private final TlsConfig tls;
    private final ThreadFactory threadFactory;
    private final Map<Class<?>, Object> extensions;

    private TransportConfig(Builder b) {
        this.parser = b.parser != null ? b.parser : SipParser.lenient();
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.idleTimeout = b.idleTimeout;
        this.messageReadTimeout = b.messageReadTimeout;
        this.writeTimeout = b.writeTimeout;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.mtu = b.mtu;
        this.receiveQueueCapacity = b.receiveQueueCapacity;
        this.receiveWorkers = b.receiveWorkers;
        this.socketReceiveBuffer = b.socketReceiveBuffer;
        this.tls = b.tls;
        this.threadFactory = b.threadFactory != null ? b.threadFactory
                : Thread.ofVirtual().name("sip-transport-", 0).factory();
        this.extensions = Map.copyOf(b.extensions);
    }

    /** All defaults. */
    public static TransportConfig defaults() {
        return newBuilder().build();
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.parser = parser;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.idleTimeout = idleTimeout;
        b.messageReadTimeout = messageReadTimeout;
        b.writeTimeout = writeTimeout;
        b.connectTimeout = connectTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.mtu = mtu;
        b.receiveQueueCapacity = receiveQueueCapacity;
        b.receiveWorkers = receiveWorkers;
        b.socketReceiveBuffer = socketReceiveBuffer;
        b.tls = tls;
        b.threadFactory = threadFactory;
        b.extensions.putAll(extensions);
        return b;
    }

    public SipParser parser() {
        return parser;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration messageReadTimeout() {
        return messageReadTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public int mtu() {
        return mtu;
    }

    public int receiveQueueCapacity() {
        return receiveQueueCapacity;
    }

    public int receiveWorkers() {
        return receiveWorkers;
    }

    public int socketReceiveBuffer() {
        return socketReceiveBuffer;
    }

    /** The TLS settings, required by the {@code tls} and {@code wss} transports. */
    public Optional<TlsConfig> tls() {
        return Optional.ofNullable(tls);
    }

    /** Makes the threads of readers, acceptors and workers. */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** A provider-specific setting registered with {@link Builder#extension}. */
    public <T> Optional<T> extension(Class<T> type) {
        return Optional.ofNullable(type.cast(extensions.get(type)));
    }

    /** Builds a {@link TransportConfig}; setters validate and return {@code this}. */
    public static final class Builder {
        private SipParser parser;
        private int maxConnections = 4096;
        private int maxConnectionsPerAddress = 1024;
        private Duration idleTimeout = Duration.ofSeconds(120);
        private Duration messageReadTimeout = Duration.ofSeconds(10);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int mtu = 1300;
        private int receiveQueueCapacity = 4096;
        private int receiveWorkers = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private int socketReceiveBuffer = 1 << 20;
        private TlsConfig tls;
        private ThreadFactory threadFactory;
        private final Map<Class<?>, Object> extensions = new HashMap<>();

        private Builder() {
        }

        /**
         * The parser for inbound messages; its {@code maxMessageSize} is the largest message a
         * transport accepts. Default {@link SipParser#lenient()} (64 KiB).
         */
        public Builder parser(SipParser parser) {
            this.parser = Objects.requireNonNull(parser, "parser");
            return this;
        }

        /**
         * Open connections per transport, inbound and outbound together. Beyond it an accepted
         * connection is closed at once and {@code connect} throws {@link ConnectionLimitException}.
         * Default 4,096.
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be positive: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Inbound connections (open or handshaking) from one peer IP address. Beyond it an
         * accepted connection is closed at once, counted as refused, with a {@code Failed} event
         * ({@link ConnectionLimitException}): one host cannot take the whole pool. Generous enough
         * for a NAT with a few hundred phones behind one address. Default 1,024.
         */
        public Builder maxConnectionsPerAddress(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must be positive: " + max);
            }
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /** A connection that receives nothing for this long is closed. Default 120 s. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = nonNegative(timeout, "idleTimeout");
            return this;
        }

        /**
         * Once the first byte of a message has arrived, the whole message must arrive within this
         * time or the connection is closed (slow-loris defence); an inbound connection must also
         * deliver its first message within this time of opening (keep-alives do not count), so
         * silent connections cannot hold the pool for the idle timeout. Default 10 s.
         */
        public Builder messageReadTimeout(Duration timeout) {
            this.messageReadTimeout = nonNegative(timeout, "messageReadTimeout");
            return this;
        }

        /** A send blocked this long by a peer that does not read closes the connection. Default 10 s. */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = nonNegative(timeout, "writeTimeout");
            return this;
        }

        /** Outbound TCP connect. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = nonNegative(timeout, "connectTimeout");
            return this;
        }

        /** TLS or WebSocket handshake, either direction. Default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = nonNegative(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * The largest request UDP may carry; a larger one is refused with
         * {@link MessageTooLargeException} so the stack sends it over TCP. RFC 3261 §18.1.1 says a
         * request "within 200 bytes of the path MTU, or larger than 1300 bytes" when the path MTU
         * is unknown, must go over a congestion-controlled transport: this is that limit, so with a
         * known path MTU set it 200 bytes below it (1,300 for Ethernet's 1,500). Responses may be
         * larger, up to the 65,507-byte datagram limit, and so may a request the peer refused to
         * take over TCP ({@link Connection#sendAboveMtu}). Default 1,300.
         */
        public Builder mtu(int bytes) {
            if (bytes < 200 || bytes > 65_507) {
                throw new IllegalArgumentException("mtu must be 200..65507: " + bytes);
            }
            this.mtu = bytes;
            return this;
        }

        /**
         * Datagrams received and waiting for a worker (UDP). When full, the oldest is dropped and
         * counted ({@link TransportStats#dropped()}). Default 4,096.
         */
        public Builder receiveQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("receiveQueueCapacity must be positive: " + capacity);
            }
            this.receiveQueueCapacity = capacity;
            return this;
        }

        /** Virtual threads running the handler for datagrams (UDP). Default max(4, 2 × CPUs). */
        public Builder receiveWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("receiveWorkers must be positive: " + workers);
            }
            this.receiveWorkers = workers;
            return this;
        }

        /**
         * The kernel receive buffer asked for each datagram socket (SO_RCVBUF): a burst that
         * arrives while the reader waits for a carrier thread must fit in it, and the usual
         * ~200 KB default holds only ~160 small datagrams. Linux grants at most
         * {@code net.core.rmem_max}; 0 keeps the operating system's default. Default 1 MiB.
         */
        public Builder socketReceiveBuffer(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("socketReceiveBuffer must not be negative: " + bytes);
            }
            this.socketReceiveBuffer = bytes;
            return this;
        }

        /** TLS settings for {@code tls} and {@code wss}. No default. */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Threads for readers, acceptors and workers. Default: virtual threads. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /** A provider-specific setting, found by the provider with {@link #extension(Class)}. */
        public <T> Builder extension(Class<T> type, T value) {
            extensions.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(value, "value")));
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(this);
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + d);
            }
            return d;
        }
    }
}
