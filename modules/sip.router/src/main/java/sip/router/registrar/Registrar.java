package sip.router.registrar;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.RetryAfter;
import sip.message.SipDate;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Status;
import sip.message.Uri;
import sip.router.RequestHandler;
import sip.router.Scheduler;
import sip.transport.spi.Flow;

/**
 * A registrar (RFC 3261 §10.3, RFC 3327 Path): turns a REGISTER into binding changes in a
 * {@link LocationService} and the response to send. {@link #process} touches no network, so it
 * can be driven directly; {@link #handler()} plugs it into a server:
 *
 * <pre>{@code
 * Registrar registrar = Registrar.newBuilder(Scheduler.system())   // LocationService.load
 *     .authorizer(digest).build();
 * ua.server().supported("path").onRegister(registrar.handler())
 *     .onFlowClosed(registrar::flowClosed);                       // WebSocket phones: see below
 * ...
 * registrar.close();                                              // and its location service
 * }</pre>
 *
 * <p>Steps 1 (Request-URI domain) and 2 (Require) are the server's: a registrar answers for any
 * domain unless {@link Builder#domains} narrows it, and {@link sip.router.Server} already checks
 * {@code Require}. Then, in order: step 5, the AoR from To (404 when it is not a SIP/SIPS URI,
 * not of a served domain, or "not valid for the domain in the Request-URI": its host is not the
 * Request-URI's host, nor are both among {@link Builder#domains}, which are aliases of one
 * another); steps 3–4, the {@link RegisterAuthorizer} (it needs the AoR, so
 * it runs after step 5; neither step changes anything); step 6, {@code *} (400 with other
 * contacts or with an Expires other than 0); step 7, each contact's expiry (423 with
 * {@code Min-Expires} below the minimum) and the Call-ID/CSeq rule, all-or-nothing (500 when a
 * binding has the same Call-ID and a CSeq not higher); the bounds (per AoR {@code 403}, over all
 * AoRs {@code 503}); step 8, the 200 listing every current binding with its remaining
 * {@code expires}.
 *
 * <p>Responses, with their reasons: 400 "Bad Request (...)", 403 "Forbidden (too many
 * bindings)" or "Forbidden (too many Path entries)", 404 "Not Found", 423 "Interval Too Brief",
 * 500 "Server Internal Error (...)", 503 "Service Unavailable (registrar full)" with
 * {@code Retry-After}. Thread-safe.
 *
 * <p>Times come from the location service's {@link LocationService#clock()}: the store owns
 * the clock its bindings expire on.
 *
 * <p>A phone in a browser registers over its WebSocket connection with a Contact nobody can
 * reach otherwise ({@code sip:alice@df7jal23ls0d.invalid;transport=ws}, RFC 7118 §5): when that
 * connection closes, the binding is dead although it has not expired. {@link #flowClosed},
 * wired to {@link sip.router.Server#onFlowClosed}, removes such bindings
 * ({@link Binding#reachedOnlyOverFlow()}) at once, so calls to the AoR get {@code 480} instead
 * of a branch that cannot be sent; bindings reachable without their flow stay until they expire.
 */
public final class Registrar implements AutoCloseable {
    /** Bindings expire all the time, so a full registrar has room again soon. */
    private static final long FULL_RETRY_AFTER_SECONDS = 60;

    private final LocationService store;
    private final long defaultExpires;
    private final long minExpires;
    private final long maxExpires;
    private final int maxBindingsPerAor;
    private final int maxBindings;
    private final int maxPathEntries;
    private final Set<String> domains;
    private final RegisterAuthorizer authorizer;
    private final InstantSource wallClock;

    private Registrar(Builder b) {
        this.store = b.store;
        this.defaultExpires = b.defaultExpires.toSeconds();
        this.minExpires = b.minExpires.toSeconds();
        this.maxExpires = b.maxExpires.toSeconds();
        this.maxBindingsPerAor = b.maxBindingsPerAor;
        this.maxBindings = b.maxBindings;
        this.maxPathEntries = b.maxPathEntries;
        this.domains = b.domains;
        this.authorizer = b.authorizer;
        this.wallClock = b.wallClock;
    }

    /**
     * A builder over {@code store}, which the registrar then owns: {@link #close()} closes it.
     */
    public static Builder newBuilder(LocationService store) {
        return new Builder(store);
    }

    /**
     * A builder over the store {@link LocationService#load} finds (a {@link LocationService.Provider}
     * service, else one in memory), made on {@code scheduler}.
     */
    public static Builder newBuilder(Scheduler scheduler) {
        return new Builder(LocationService.load(scheduler));
    }

    /** Where the bindings are: what a proxy looks AoRs up in. */
    public LocationService locationService() {
        return store;
    }

    /**
     * Closes the location service (its sweep timer, its connections). The bindings of an
     * in-memory store stay readable; REGISTERs processed afterwards still work but nothing
     * sweeps expired bindings any more. Idempotent.
     */
    @Override
    public void close() {
        store.close();
    }

    /** Handles REGISTER requests of a {@link sip.router.Server}: processes and answers each. */
    public RequestHandler handler() {
        return tx -> tx.respond(process(tx.request(), tx.flow(), tx::responseBuilder).response().build());
    }

    /** As {@link #process(SipRequest, Flow, IntFunction)} with responses from {@link SipResponse#builder}. */
    public RegisterOutcome process(SipRequest register, Flow flow) {
        return process(register, flow, code -> SipResponse.builder(register, code));
    }

    /**
     * Processes {@code register} that arrived on {@code flow}.
     *
     * @param responses makes the response with a given status
     * @throws IllegalArgumentException if {@code register} is not a REGISTER
     */
    public RegisterOutcome process(SipRequest register, Flow flow, IntFunction<SipResponse.Builder> responses) {
        if (!register.method().equals(Method.REGISTER)) {
            throw new IllegalArgumentException("not a REGISTER: " + register.method());
        }
        Requested requested;
        AddressOfRecord aor;
        try {
            aor = addressOfRecord(register.to());
            if (aor == null || !validFor(aor, register.requestUri())) {
                return reject(responses, Status.NOT_FOUND_404, null);
            }
            Optional<SipResponse.Builder> refused = authorizer.authorize(register, aor, flow, responses);
            if (refused.isPresent()) {
                return new RegisterOutcome.Rejected(refused.get().build().status(), refused.get());
            }
            requested = Requested.of(register, defaultExpires);
            if (requested.path().size() > maxPathEntries) {
                return reject(responses, Status.FORBIDDEN_403, "too many Path entries");
            }
        } catch (SipParseException | Requested.Invalid e) {
            return reject(responses, Status.BAD_REQUEST_400, e.getMessage());
        }
        if (!requested.wildcard()) {
            for (Requested.Change c : requested.changes()) {
                // §10.3 step 7: "If and only if the requested expiration interval is greater than
                // zero AND smaller than one hour AND less than a registrar-configured minimum, the
                // registrar MAY reject the registration with a response of 423".
                if (c.expires() > 0 && c.expires() < 3600 && c.expires() < minExpires) {
                    SipResponse.Builder r = responses.apply(423);
                    r.set(HeaderType.MIN_EXPIRES, minExpires);
                    return new RegisterOutcome.Rejected(Status.of(423), r);
                }
            }
        }
        List<Binding> after;
        try {
            after = update(aor, requested, flow);
        } catch (Aborted a) {
            RegisterOutcome out = reject(responses, a.status, a.getMessage());
            if (a.status.code() == 503) {
                out.response().set(HeaderType.RETRY_AFTER, RetryAfter.of(FULL_RETRY_AFTER_SECONDS));
            }
            return out;
        }
        return accepted(aor, after, requested, responses);
    }

    /**
     * The connection of {@code flow} closed: removes the bindings reached only over it
     * ({@link Binding#reachedOnlyOverFlow()}) from the location service
     * ({@link LocationService#removeBindingsOver}). Bindings reachable without the flow (a TCP
     * contact naming a host that listens) stay. Thread-safe; for
     * {@link sip.router.Server#onFlowClosed}.
     *
     * @return the bindings removed, by AoR; empty when none
     */
    public Map<AddressOfRecord, List<Binding>> flowClosed(Flow flow) {
        return store.removeBindingsOver(Objects.requireNonNull(flow, "flow"));
    }

    // The stored count may include expired bindings not yet swept: before refusing for a full
    // store, sweep once (outside update, which must not sweep) and try again.
    private List<Binding> update(AddressOfRecord aor, Requested requested, Flow flow) {
        try {
            return store.update(aor, current -> apply(current, requested, flow));
        } catch (Aborted a) {
            if (a.status.code() != 503) {
                throw a;
            }
            store.sweep();
            return store.update(aor, current -> apply(current, requested, flow));
        }
    }

    // §10.3 step 5: "the registrar ... MUST determine if the address-of-record is valid for the
    // domain in the Request-URI". A UA registering to the server's IP address needs that address
    // listed in domains.
    private boolean validFor(AddressOfRecord aor, Uri requestUri) {
        if (!(requestUri instanceof SipUri u)) {
            return false;
        }
        String target = u.host().toLowerCase(Locale.ROOT);
        if (domains.isEmpty()) {
            return target.equals(aor.host());
        }
        return domains.contains(aor.host()) && (target.equals(aor.host()) || domains.contains(target));
    }

    private static AddressOfRecord addressOfRecord(NameAddress to) {
        try {
            return AddressOfRecord.of(to.uri());
        } catch (IllegalArgumentException notSip) {
            return null;
        }
    }

    private List<Binding> apply(List<Binding> current, Requested requested, Flow flow) {
        String callId = requested.callId();
        long cseq = requested.cseq();
        if (requested.wildcard()) {
            // §10.3 step 6: for "*", remove each binding whose Call-ID differs, or whose Call-ID
            // agrees and whose CSeq is lower; "Otherwise, the update MUST be aborted and the
            // request fails."
            for (Binding b : current) {
                if (b.callId().equals(callId) && cseq <= b.cseq()) {
                    throw Aborted.outOfOrder(b);
                }
            }
            return List.of();
        }
        Instant now = store.clock().instant();
        List<Binding> next = new ArrayList<>(current);
        for (Requested.Change c : requested.changes()) {
            int i = indexOf(next, c.contact());
            if (i >= 0) {
                Binding old = next.get(i);
                // §10.3 step 7: same Call-ID and a CSeq not higher: "the update MUST be aborted
                // and the request fails"; that failure is §10.3 step 7's all-or-nothing commit,
                // answered 500 like any other failed binding update.
                if (old.callId().equals(callId) && cseq <= old.cseq() && current.contains(old)) {
                    throw Aborted.outOfOrder(old);
                }
                next.remove(i);
            }
            if (c.expires() > 0) {
                long seconds = Math.min(c.expires(), maxExpires);
                next.add(new Binding(c.contact(), now.plusSeconds(seconds), c.q(),
                        callId, cseq, requested.path(), flow, now));
            }
        }
        int added = next.size() - current.size();
        if (next.size() > maxBindingsPerAor && added > 0) {
            throw new Aborted(Status.FORBIDDEN_403, "too many bindings");
        }
        if (added > 0 && (long) store.storedBindingCount() + added > maxBindings) {
            throw new Aborted(Status.SERVICE_UNAVAILABLE_503, "registrar full");
        }
        return next;
    }

    private static int indexOf(List<Binding> bindings, NameAddress contact) {
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).uri().equals(contact.uri())) {
                return i;
            }
        }
        return -1;
    }

    private RegisterOutcome accepted(AddressOfRecord aor, List<Binding> bindings, Requested requested,
                                     IntFunction<SipResponse.Builder> responses) {
        SipResponse.Builder r = responses.apply(200);
        Instant now = store.clock().instant();
        for (Binding b : bindings) {
            // §10.3 step 8: "Each Contact value MUST feature an 'expires' parameter indicating
            // its expiration interval chosen by the registrar."
            r.add(HeaderType.CONTACT, Contact.of(
                    b.contact().withParameter("expires", Long.toString(b.remainingSeconds(now)))));
        }
        // RFC 3327 §5.3: the stored Path goes back to the UA so it can see the route, but only to
        // a UA that said it supports Path (RFC 3261 §8.2.2.3: no extension it did not list).
        if (requested.pathSupported()) {
            for (NameAddress p : requested.path()) {
                r.add(HeaderType.PATH, p);
            }
        }
        if (wallClock != null) {
            // §10.3 step 8: "The response SHOULD include a Date header field."
            r.set(HeaderType.DATE, new SipDate(wallClock.instant().truncatedTo(ChronoUnit.SECONDS)));
        }
        return new RegisterOutcome.Accepted(aor, bindings, r);
    }

    private static RegisterOutcome reject(IntFunction<SipResponse.Builder> responses, Status status, String detail) {
        Status s = detail == null ? status : Status.of(status.code(), status.reason() + " (" + detail + ")");
        SipResponse.Builder r = responses.apply(s.code()).status(s);
        return new RegisterOutcome.Rejected(s, r);
    }

    /** Settings of a {@link Registrar}; each default is stated once, here. */
    public static final class Builder {
        private final LocationService store;
        private Duration defaultExpires = Duration.ofSeconds(3600);
        private Duration minExpires = Duration.ofSeconds(60);
        private Duration maxExpires = Duration.ofSeconds(7200);
        private int maxBindingsPerAor = 16;
        private int maxBindings = 100_000;
        private int maxPathEntries = 16;
        private Set<String> domains = Set.of();
        private RegisterAuthorizer authorizer;
        private InstantSource wallClock;

        private Builder(LocationService store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * The expiry of a contact with no {@code expires} parameter in a request with no
         * {@code Expires} header (§10.3 step 7: "a locally-configured default value"). Default
         * 3600 s. Whole seconds.
         */
        public Builder defaultExpires(Duration d) {
            this.defaultExpires = requireSeconds(d, "defaultExpires", 1);
            return this;
        }

        /**
         * The shortest expiry accepted: a shorter non-zero one gets {@code 423} with
         * {@code Min-Expires}. At most one hour, the bound below which §10.3 lets a registrar
         * answer 423. Default 60 s.
         */
        public Builder minExpires(Duration d) {
            requireSeconds(d, "minExpires", 0);
            if (d.toSeconds() > 3600) {
                throw new IllegalArgumentException("minExpires above one hour: RFC 3261 §10.3 allows 423 only below 3600 s");
            }
            this.minExpires = d;
            return this;
        }

        /** The longest expiry granted: longer requests are shortened to it (§10.3 step 7). Default 7200 s. */
        public Builder maxExpires(Duration d) {
            this.maxExpires = requireSeconds(d, "maxExpires", 1);
            return this;
        }

        /**
         * Bindings one AoR may hold. A REGISTER that would add beyond it is answered
         * {@code 403 Forbidden (too many bindings)} and changes nothing: the request is understood
         * and refused, and repeating it will not help, as 403 says (Kamailio answers 503 instead,
         * which invites a retry that cannot succeed). Default 16.
         */
        public Builder maxBindingsPerAor(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBindingsPerAor must be at least 1: " + max);
            }
            this.maxBindingsPerAor = max;
            return this;
        }

        /**
         * Live bindings over all AoRs (and so AoRs, each holding at least one). A REGISTER that
         * would add beyond it is answered {@code 503 Service Unavailable (registrar full)} with
         * {@code Retry-After: 60} and changes nothing; refreshes and removals still go through.
         * 503 rather than 403: the request itself is fine and bindings keep expiring, so a retry
         * may succeed. Default 100,000.
         */
        public Builder maxBindings(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBindings must be at least 1: " + max);
            }
            this.maxBindings = max;
            return this;
        }

        /**
         * Path entries (RFC 3327) one REGISTER may carry, each stored with every binding. More is
         * answered {@code 403 Forbidden (too many Path entries)}: no genuine chain of edge
         * proxies is that long, and repeating the request will not help. Default 16.
         */
        public Builder maxPathEntries(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxPathEntries must not be negative: " + max);
            }
            this.maxPathEntries = max;
            return this;
        }

        /**
         * The domains whose AoRs this registrar keeps (hosts, any case), aliases of one another:
         * a REGISTER whose AoR is of another domain, or whose Request-URI host is neither the
         * AoR's host nor listed, gets 404 (§10.3 step 5). List the server's IP addresses here for
         * UAs that register to {@code sip:<address>}. Default: every domain, each valid only in
         * a REGISTER whose Request-URI host is the AoR's host.
         */
        public Builder domains(String... hosts) {
            Set<String> s = new java.util.HashSet<>();
            for (String h : hosts) {
                s.add(Objects.requireNonNull(h, "domain").toLowerCase(Locale.ROOT));
            }
            this.domains = Set.copyOf(s);
            return this;
        }

        /**
         * Authentication and authorization (§10.3 steps 3–4). Required: no default, because one
         * that lets everything through lets anyone take over any AoR; write
         * {@link RegisterAuthorizer#allowAll()} to mean that.
         */
        public Builder authorizer(RegisterAuthorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * Adds a {@code Date} header to each 200, read from {@code wallClock} (§10.3 step 8
         * SHOULD; some UAs set their clock from it). Default none: the location service's
         * clock may be virtual (tests), so it is not trusted to tell the date.
         */
        public Builder date(InstantSource wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        /**
         * @throws IllegalStateException if no authorizer was set, or {@code minExpires} exceeds
         *     {@code maxExpires}
         */
        public Registrar build() {
            if (authorizer == null) {
                throw new IllegalStateException(
                        "an authorizer is required (RegisterAuthorizer.allowAll() for tests and closed networks)");
            }
            if (minExpires.compareTo(maxExpires) > 0) {
                throw new IllegalStateException("minExpires " + minExpires + " above maxExpires " + maxExpires);
            }
            return new Registrar(this);
        }

        private static Duration requireSeconds(Duration d, String what, long least) {
            Objects.requireNonNull(d, what);
            if (d.toSeconds() < least || d.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException(what + " must be whole seconds, at least " + least + ": " + d);
            }
            return d;
        }
    }

    /** Aborts a store update: nothing is written, the request is answered {@link #status}. */
    private static final class Aborted extends RuntimeException {
        final Status status;

        Aborted(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static Aborted outOfOrder(Binding b) {
            return new Aborted(Status.SERVER_INTERNAL_ERROR_500,
                    "CSeq not above " + b.cseq() + " for this Call-ID");
        }
    }
}
