package sip.router.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import sip.message.SipResponse;
import sip.router.Destination;

/**
 * How one {@link Proxy#relay} proceeds. Immutable; build with {@link #newBuilder()}, or take
 * {@link #defaults()}.
 *
 * <p>Hooks run on virtual threads, the calls for one branch one at a time in arrival order;
 * a hook that throws is logged and otherwise ignored (the relay goes on as if it returned
 * nothing). They may block briefly (a database lookup) but hold up their branch meanwhile.
 */
public final class RelayOptions {

    private static final RelayOptions DEFAULTS = new Builder().build();

    private final Boolean recordRoute;
    private final Forking forking;
    private final Duration branchTimeout;
    private final BiConsumer<Branch, SipResponse> onResponse;
    private final BiFunction<Branch, SipResponse, List<Target>> onBranchFailure;
    private final Destination destination;

    private RelayOptions(Builder b) {
        this.recordRoute = b.recordRoute;
        this.forking = b.forking;
        this.branchTimeout = b.branchTimeout;
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

    /** Settings of a {@link RelayOptions}; each default is stated once, here. */
    public static final class Builder {
        private Boolean recordRoute;
        private Forking forking = Forking.PARALLEL;
        private Duration branchTimeout;
        private BiConsumer<Branch, SipResponse> onResponse;
        private BiFunction<Branch, SipResponse, List<Target>> onBranchFailure;
        private Destination destination;

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
         * Called with every response a branch receives (100 included, locally made 408/503
         * included, every 2xx), before the proxy acts on it. For logging and accounting: what it
         * does cannot change the response. Default none.
         */
        public Builder onResponse(BiConsumer<Branch, SipResponse> hook) {
            this.onResponse = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Called when a branch ends with a final response other than 2xx or 6xx (a locally made
         * {@code 408} for a timeout, {@code 503} for a transport failure included), unless the
         * relay is already decided (a 2xx or 6xx arrived, or the caller cancelled). The targets it
         * returns start at once in a parallel relay, next in a sequential one (before the targets
         * still waiting); an empty list adds none. "Try the next target on 503 or 408":
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

        public RelayOptions build() {
            return new RelayOptions(this);
        }
    }
}
