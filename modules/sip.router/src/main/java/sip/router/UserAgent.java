package sip.router;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import sip.message.NameAddress;
import sip.transport.spi.Listener;
import sip.transport.spi.TransportConfig;

/**
 * A SIP endpoint: its transports, its transaction layer and its identity. Handlers go on
 * {@link #server()}, requests out through {@link #client()}.
 *
 * <pre>{@code
 * try (UserAgent ua = UserAgent.newBuilder().name("parley-demo").build()) {
 *     ua.server().onInvite(tx -> tx.respond(486));
 *     ua.listen("udp", "127.0.0.1:5060");
 *     ua.listen("tcp", "127.0.0.1:5060");
 *     ...
 * }
 * }</pre>
 *
 * <p>Transports are opened through {@code sip.transport.spi.Transports} on first use of a protocol,
 * so any provider on the module path works. {@link #close()} is graceful: stream (TCP, TLS)
 * listeners stop accepting connections at once; UDP sockets stay open until the end of close,
 * because they carry the answers, ACKs and CANCELs of the transactions still running, and new
 * requests arriving on them are answered {@code 503}. Close waits, for up to
 * {@link Builder#closeTimeout}, until every request received and sent has its final response
 * and every 2xx sent has its ACK; the transactions that linger after that only to absorb
 * retransmissions (Timers D, I, J, K, L, M) are then ended at once, the unfinished ones at the
 * deadline ({@code 503} to the peer, a local 503 to our own requests), and every listener and
 * connection is closed.
 */
public sealed interface UserAgent extends AutoCloseable permits sip.router.internal.UserAgentImpl {

    static Builder newBuilder() {
        return new Builder();
    }

    /** The value of {@code User-Agent} and {@code Server} headers this agent adds. */
    String name();

    Server server();

    Client client();

    /**
     * Listens on {@code hostPort} ({@code "127.0.0.1:5060"}, {@code "[::1]:5060"}, port 0 for an
     * ephemeral one) with the provider of {@code protocol} ({@code "udp"}, {@code "tcp"},
     * {@code "tls"}, ...).
     *
     * @throws sip.transport.spi.NoTransportProviderException if no provider serves
     *     {@code protocol}
     * @throws IllegalArgumentException if {@code hostPort} is not {@code host:port}
     * @throws IllegalStateException if this user agent is closed
     * @throws IOException if the address cannot be bound
     */
    Listener listen(String protocol, String hostPort) throws IOException;

    /** As {@link #listen(String, String)} with an address (same exceptions). */
    Listener listen(String protocol, InetSocketAddress local) throws IOException;

    /**
     * Changes the transport settings of {@link Builder#transportConfig} before the first
     * transport opens (the first {@link #listen}, request or connection): for a caller that
     * learns them only after building the agent (parley reads a script's
     * {@code config.websocket} while loading it on this agent, and loads it once).
     *
     * @throws IllegalStateException once a transport is open
     */
    void configureTransports(java.util.function.UnaryOperator<TransportConfig> change);

    /** The open listeners of every transport. */
    List<Listener> listeners();

    TransactionStats stats();

    /** The dialog store's live counts and counters. */
    DialogStats dialogStats();

    /** Graceful close (see the class comment); idempotent; returns once everything is closed. */
    @Override
    void close();

    /** Settings of a {@link UserAgent}; each default is stated once, here. */
    final class Builder {
        String name = "Parley";
        NameAddress identity;
        String hostName;
        TransportConfig transportConfig = TransportConfig.defaults();
        SipTimers timers = SipTimers.DEFAULT;
        Scheduler scheduler = Scheduler.system();
        ServerLocator locator;
        Duration tryingDelay = Duration.ofMillis(200);
        int maxServerTransactions = 10_000;
        Duration retryAfter = Duration.ofSeconds(5);
        Duration handlerTimeout = Duration.ofSeconds(32);
        Duration inviteHandlerTimeout = Duration.ofMinutes(3);
        Duration closeTimeout = Duration.ofSeconds(5);
        sip.router.auth.CredentialsProvider credentials;
        Duration maxDialogDuration = Duration.ofHours(12);
        Duration destinationBlockTime = Duration.ofSeconds(60);

        Builder() {
        }

        /** The {@code User-Agent}/{@code Server} header value. Default {@code "Parley"}. */
        public Builder name(String name) {
            this.name = requireText(name, "name");
            return this;
        }

        /**
         * The From of requests made with {@link Client#newRequest}; its user is also the user of
         * the automatic Contact. Default {@code <sip:parley@HOST:PORT>}: the {@link #hostName}
         * (with the first listener's port), else the first listener, in creation order, with a
         * concrete (non-wildcard) address, else {@code 127.0.0.1}. From is an identity, not a
         * routing address (RFC 3261 §8.1.1.3), so this need not be where the agent is reached.
         */
        public Builder identity(NameAddress identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * The host put in Via sent-by and the automatic Contact and From: a domain name, an IPv4
         * address, or an IPv6 reference in brackets ({@code [2001:db8::1]}). Default: the
         * address of the listener the message goes out of (a wildcard listener's replaced by the
         * local address the OS uses to reach the peer).
         *
         * @throws IllegalArgumentException if it is not a valid SIP host
         */
        public Builder hostName(String hostName) {
            requireText(hostName, "hostName");
            try {
                sip.message.SipUri.of(hostName);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("hostName '" + hostName + "' is not a SIP host"
                        + (hostName.indexOf(':') >= 0 && !hostName.startsWith("[") ? " (IPv6 needs brackets)" : "")
                        + ": " + e.getMessage(), e);
            }
            this.hostName = hostName;
            return this;
        }

        /** Settings for every transport this agent opens. Default {@link TransportConfig#defaults()}. */
        public Builder transportConfig(TransportConfig config) {
            this.transportConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** T1, T2, T4. Default {@link SipTimers#DEFAULT} (500 ms, 4 s, 5 s). */
        public Builder timers(SipTimers timers) {
            this.timers = Objects.requireNonNull(timers, "timers");
            return this;
        }

        /** The clock and timers. Default {@link Scheduler#system()}; tests pass a virtual clock. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where requests go. Default: the first {@link ServerLocator} service on the module
         * path (the RFC 3263 one of {@code sip.dns}, when present), else
         * {@link ServerLocator#jdk()}.
         */
        public Builder serverLocator(ServerLocator locator) {
            this.locator = Objects.requireNonNull(locator, "locator");
            return this;
        }

        /**
         * How long a server INVITE transaction waits for the handler's first response before it
         * sends {@code 100 Trying} itself (RFC 3261 §17.2.1). Default 200 ms.
         */
        public Builder tryingDelay(Duration delay) {
            this.tryingDelay = requireNonNegative(delay, "tryingDelay");
            return this;
        }

        /**
         * Server transactions still waiting for their final response beyond which new requests
         * are answered {@code 503} with {@code Retry-After} ({@link #retryAfter}), statelessly.
         * Default 10,000. Answered transactions do not count, although they stay live for up
         * to 64×T1 (Timers J and L) to absorb retransmissions: counting them would cap a busy
         * server at 10,000 ÷ 32 s ≈ 300 requests a second; the backlog of unanswered requests
         * is what overload means. The same number caps the {@link AckHandler} calls running at
         * once: an ACK beyond is dropped and counted in {@link TransactionStats#acksDropped()}.
         */
        public Builder maxServerTransactions(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxServerTransactions must be at least 1: " + max);
            }
            this.maxServerTransactions = max;
            return this;
        }

        /** The Retry-After of overload {@code 503}s, whole seconds. Default 5 s. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = requireNonNegative(retryAfter, "retryAfter");
            return this;
        }

        /**
         * How long a non-INVITE request may stay unanswered by its handler before the server
         * transaction answers {@code 500} itself. Default 32 s (the client gave up by then).
         */
        public Builder handlerTimeout(Duration timeout) {
            this.handlerTimeout = requirePositive(timeout, "handlerTimeout");
            return this;
        }

        /**
         * How long an INVITE may stay without a final response before the server transaction
         * answers {@code 408} itself (like a proxy's Timer C). Default 3 min.
         */
        public Builder inviteHandlerTimeout(Duration timeout) {
            this.inviteHandlerTimeout = requirePositive(timeout, "inviteHandlerTimeout");
            return this;
        }

        /**
         * How long {@link UserAgent#close()} lets unfinished transactions finish (see the class
         * comment). Default 5 s. Zero ends them at once, with no timer involved.
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = requireNonNegative(timeout, "closeTimeout");
            return this;
        }

        /**
         * Credentials {@link Client#request} answers 401/407 challenges with (RFC 3261 §22.2–§22.3,
         * Digest MD5, SHA-256, SHA-512-256): the request goes again, CSeq + 1, with credentials for
         * every realm challenged, and the {@link ClientTransaction} returned stands for the whole
         * exchange ({@link ClientTransaction#request()} is the last request sent). Each challenger
         * (401 or 407, realm) is answered once, and again when it says {@code stale=true}; a
         * challenge it cannot or may no more answer (credentials refused, none for the realm) is
         * the final response. Default none: challenges are final responses.
         */
        public Builder credentials(sip.router.auth.CredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * The longest a confirmed dialog may last: then it is ended with a BYE
         * ({@link DialogEnd.Reason#EXPIRED}), so a call whose BYE was lost does not stay in the
         * dialog store forever. Default 12 h (as Kamailio's dialog module).
         */
        public Builder maxDialogDuration(Duration duration) {
            this.maxDialogDuration = requirePositive(duration, "maxDialogDuration");
            return this;
        }

        /**
         * How long a destination that failed is tried last (like Kamailio's {@code dst_blocklist}).
         * A request whose destination the user agent locates (RFC 3263 §4.3: no explicit
         * {@link Destination}, and every proxy branch not sent over a registered flow) tries the
         * destinations found in order, each in a new client transaction; a transport error, Timer
         * B or F, or a {@code 503} without {@code Retry-After} moves on to the next one and blocks
         * the failed destination for this time; a {@code 503} with {@code Retry-After} blocks it
         * for those seconds (at most 1 h) and is the final response, without failover. Blocked
         * destinations are moved to the end of what is located, never dropped. At most 10,000
         * are remembered ({@link TransactionStats#blockedDestinations}). Default 60 s (as
         * Kamailio); zero disables blocking (failover still happens).
         */
        public Builder destinationBlockTime(Duration time) {
            this.destinationBlockTime = requireNonNegative(time, "destinationBlockTime");
            return this;
        }

        /** A user agent with these settings; it listens nowhere until {@link UserAgent#listen}. */
        public UserAgent build() {
            ServerLocator located = locator != null ? locator
                    : java.util.ServiceLoader.load(ServerLocator.class).findFirst().orElse(ServerLocator.jdk());
            return new sip.router.internal.UserAgentImpl(new sip.router.internal.Settings(
                    name, identity, hostName, transportConfig, timers, scheduler, located,
                    tryingDelay, maxServerTransactions, retryAfter, handlerTimeout,
                    inviteHandlerTimeout, closeTimeout, credentials, maxDialogDuration, destinationBlockTime));
        }

        private static String requireText(String s, String what) {
            Objects.requireNonNull(s, what);
            if (s.isBlank() || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(what + " must be non-blank text on one line: '" + s + "'");
            }
            return s;
        }

        private static Duration requireNonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }

        private static Duration requirePositive(Duration d, String what) {
            requireNonNegative(d, what);
            if (d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
