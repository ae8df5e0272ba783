package sip.router.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Destination;

/**
 * How one {@link Proxy#relay} proceeds. Immutable; build with {@link #newBuilder()}, or take
 * {@link #defaults()}.
 *
 * <p>Hooks run on virtual threads, and all hook calls of one relay run one at a time — every
 * branch's, every kind — in the order their events arrived (fair hand-over), so a hook may keep
 * per-relay state without locks and a single-threaded script engine can run them. A hook that
 * throws is logged and otherwise ignored (the relay goes on as if it returned nothing; for
 * {@link Builder#onBranch}, the branch ends with a local {@code 500}). They may block briefly (a
 * database lookup) but hold up the relay's other hooks meanwhile.
 */
public final class RelayOptions {

    private static final RelayOptions DEFAULTS = new Builder().build();

    private final Boolean recordRoute;
    private final Forking forking;
    private final Duration branchTimeout;
    private final Duration responseTimeout;
    private final BiConsumer<Branch, SipResponse> onResponse;
    private final BiFunction<Branch, SipResponse, List<Target>> onBranchFailure;
    private final Destination destination;
    private final int maxBranches;
    private final BiFunction<Branch, SipRequest, SipRequest> onBranch;

    private RelayOptions(Builder b) {
        this.maxBranches = b.maxBranches;
        this.onBranch = b.onBranch;
        this.recordRoute = b.recordRoute;
        this.forking = b.forking;
        this.branchTimeout = b.branchTimeout;
        this.responseTimeout = b.responseTimeout;
        this.onResponse = b.onResponse;
        this.onBranchFailure = b.onBranchFailure;
        this.destination = b.destination;
    }

    /** Parallel forking, the proxy's Record-Route default, no hooks, no branch timeout. */
    public static RelayOptions defaults() {
        return DEFAULTS;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** Whether to Record-Route; empty means the proxy's default ({@link Proxy.Builder#recordRoute}). */
    public Optional<Boolean> recordRoute() {
        return Optional.ofNullable(recordRoute);
    }

    public Forking forking() {
        return forking;
    }

    /** The longest a branch may go without a final response; empty means only Timer C applies. */
    public Optional<Duration> branchTimeout() {
        return Optional.ofNullable(branchTimeout);
    }

    /**
     * The longest a branch may go without any response (100 included); empty means only the
     * transaction timers, Timer C and {@link #branchTimeout} end a silent branch.
     */
    public Optional<Duration> responseTimeout() {
        return Optional.ofNullable(responseTimeout);
    }

    /** Called with every response each branch receives; empty when none was set. */
    public Optional<BiConsumer<Branch, SipResponse>> onResponse() {
        return Optional.ofNullable(onResponse);
    }

    /** Called when a branch ends without a 2xx; empty when none was set. */
    public Optional<BiFunction<Branch, SipResponse, List<Target>>> onBranchFailure() {
        return Optional.ofNullable(onBranchFailure);
    }

    /** The next hop of every branch, whatever its target says; empty to locate each branch. */
    public Optional<Destination> destination() {
        return Optional.ofNullable(destination);
    }

    /**
     * The most branches this relay creates in all (the targets given, and those
     * {@link Builder#onBranchFailure} adds); targets beyond are not tried.
     */
    public int maxBranches() {
        return maxBranches;
    }

    /** Called with each branch's request before it is sent; empty when none was set. */
    public Optional<BiFunction<Branch, SipRequest, SipRequest>> onBranch() {
        return Optional.ofNullable(onBranch);
    }

    /** Settings of a {@link RelayOptions}; each default is stated once, here. */
    public static final class Builder {
        private Boolean recordRoute;
        private Forking forking = Forking.PARALLEL;
        private Duration branchTimeout;
        private Duration responseTimeout;
        private BiConsumer<Branch, SipResponse> onResponse;
        private BiFunction<Branch, SipResponse, List<Target>> onBranchFailure;
        private Destination destination;
        private int maxBranches = 60;
        private BiFunction<Branch, SipRequest, SipRequest> onBranch;

        Builder() {
        }

        /**
         * Whether the proxy puts itself in the route set of the dialog this request creates
         * (RFC 3261 §16.6 item 4: a {@code Record-Route} with {@code lr}; two when the request
         * leaves on another transport or interface than it came in on, RFC 5658). Default: the
         * proxy's {@link Proxy.Builder#recordRoute}.
         */
        public Builder recordRoute(boolean on) {
            this.recordRoute = on;
            return this;
        }

        /** Parallel or sequential forking over several targets. Default {@link Forking#PARALLEL}. */
        public Builder forking(Forking forking) {
            this.forking = Objects.requireNonNull(forking, "forking");
            return this;
        }

        /**
         * How long a branch may go without a final response before it is cancelled and counts as
         * a {@code 408} (so a sequential relay moves on to the next target); unlike Timer C,
         * provisional responses do not reset it. Default none: only Timer C (and the
         * transaction timers) end a silent branch.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder branchTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("branchTimeout must be positive: " + timeout);
            }
            this.branchTimeout = timeout;
            return this;
        }

        /**
         * How long a branch may go without its first response of any kind ({@code 100 Trying}
         * included) before it is given up: Kamailio's {@code fr_timer}, where
         * {@link #branchTimeout} is its {@code fr_inv_timer}. It finds a silent next hop (a UDP
         * server that is down) in seconds, without cutting a call that rings for long: the first
         * response stops it. On expiry the branch ends as a local {@code 408}, which
         * {@link #onResponse} and {@link #onBranchFailure} see like any failure, so the routing
         * logic can fail over (a sequential relay moves on to its next target). No CANCEL is sent
         * (RFC 3261 §9.1 forbids one before a provisional response); the INVITE's CANCEL is held
         * and leaves only if a provisional still comes. The branch's client transaction ends by
         * its own timers (B or F, 64×T1) and is not sent on to another located destination
         * (RFC 3263 §4.3); a response it receives meanwhile changes nothing for the
         * relay, except that a late 2xx to INVITE is still forwarded (every 2xx must reach the
         * caller, §16.7 item 10). Default none.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder responseTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("responseTimeout must be positive: " + timeout);
            }
            this.responseTimeout = timeout;
            return this;
        }

        /**
         * Called with every response a branch receives (100 included, locally made 408/503
         * included, every 2xx), before the proxy acts on it. For logging and accounting: what it
         * does cannot change the response. Default none.
         */
        public Builder onResponse(BiConsumer<Branch, SipResponse> hook) {
            this.onResponse = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Called when a branch ends with a final response of 300–599 (a locally made {@code 408}
         * for a timeout, {@code 503} for a transport failure, {@code 500} for a send failure
         * included) while the relay is still open. Not called for a 6xx (it decides the relay:
         * the pending branches are cancelled), nor for any branch ending after the relay was
         * decided — a 2xx or a 6xx arrived, or the caller cancelled — since no target it returned
         * could start then. The targets it returns start at once in a parallel relay (as far as
         * {@code Max-Breadth} and {@link #maxBranches} allow), next in a sequential one (before
         * the targets still waiting); an empty list adds none. "Try the next target on 503 or 408":
         * {@code (branch, r) -> r.statusCode() == 503 || r.statusCode() == 408 ? List.of(next) : List.of()}.
         * Default none.
         */
        public Builder onBranchFailure(BiFunction<Branch, SipResponse, List<Target>> hook) {
            this.onBranchFailure = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Sends every branch to {@code destination} (an outbound proxy, a load balancer's pick)
         * whatever its Request-URI, Route and flow say. Default none.
         */
        public Builder destination(Destination destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * The most branches the relay creates in all, targets added by
         * {@link #onBranchFailure} included; targets beyond are not tried (logged). Independent
         * of this, parallel branches share the request's {@code Max-Breadth} (RFC 5393: 60 when
         * absent): each branch's copy carries its share, at most that many run at once, and a
         * request with no breadth left is answered {@code 440 Max-Breadth Exceeded}. Default 60.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxBranches(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBranches must be at least 1: " + max);
            }
            this.maxBranches = max;
            return this;
        }

        /**
         * Called with each branch's request just before it is sent (Kamailio's
         * {@code branch_route}): the copy for that target, with Record-Route, Max-Forwards and
         * Max-Breadth set, without the proxy's Via. Returns the request to send instead (headers
         * added, removed or rewritten per target), or null to send it unchanged. The Request-URI,
         * Route values, method, Call-ID, CSeq and From tag must stay as given (the next hop is
         * already chosen from them); a request changing them, or a hook that throws, ends the
         * branch with a local {@code 500}. Default none.
         */
        public Builder onBranch(BiFunction<Branch, SipRequest, SipRequest> hook) {
            this.onBranch = Objects.requireNonNull(hook, "hook");
            return this;
        }

        public RelayOptions build() {
            return new RelayOptions(this);
        }
    }
}
