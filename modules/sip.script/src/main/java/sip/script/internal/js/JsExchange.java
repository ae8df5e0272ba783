package sip.script.internal.js;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Status;
import sip.router.auth.AuthResult;
import sip.router.auth.DigestAuthenticator;
import sip.router.proxy.Branch;
import sip.router.proxy.Forking;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.router.registrar.RegisterOutcome;
import sip.script.internal.runtime.RequestHost;

/**
 * The Java side of one request's {@code sip} verbs: {@code reply}, {@code relay},
 * {@code registrar.save}, {@code auth.check}, over its {@link RequestHost}. Called on the worker
 * owning the request's context; the disposition flags are read by the executor from other threads
 * too, hence volatile. Script mistakes come back as the message of the TypeError the prelude
 * throws (null on success).
 */
public final class JsExchange {

    /** Headers a reply copies from its request (or computes): a script must not set them, long or compact form. */
    private static final java.util.Set<String> MANAGED_IN_REPLY = java.util.Set.of(
            "via", "v", "from", "f", "to", "t", "call-id", "i", "cseq", "content-length", "l");

    private static final String FINISHED =
            "this request's handler has finished: its sip object cannot be used from another request";

    private final RequestHost host;
    private final JsRequest request;
    private final VersionBinding version;
    private final JsLink link;
    private volatile boolean finalSent;
    private volatile boolean relayed;
    private volatile boolean relayPending;
    private volatile boolean settled;
    private volatile Value rejection;
    /** Built by the prelude's calls before {@link #reply} / {@link #relay}; worker thread only. */
    private final List<String> replyHeaders = new ArrayList<>(4);
    private final List<Target> targets = new ArrayList<>(2);
    private final List<Target> hookTargets = new ArrayList<>(2);
    /** The user sip.auth.check authenticated for this request (one realm is accepted); worker thread only. */
    private String authenticatedUser;
    /** A mistake the script made that SIP answered for it, to log at the script's line; null if none. */
    private String warning;
    private static final int IDLE = 0;
    private static final int WANTED = 1;
    private static final int DONE = 2;
    /** Whether the relay's result is wanted, and whether it came: IDLE, WANTED, DONE. */
    private final java.util.concurrent.atomic.AtomicInteger result = new java.util.concurrent.atomic.AtomicInteger();
    private Value resolve;
    private volatile RelayOutcome outcome;
    private boolean resolved;

    public JsExchange(RequestHost host, JsRequest request, VersionBinding version, JsLink link) {
        this.host = host;
        this.request = request;
        this.version = version;
        this.link = link;
    }

    public JsRequest request() {
        return request;
    }

    /** Whether the script disposed of the request: a final reply, a relay, a save, a challenge. */
    public boolean disposed() {
        return finalSent || relayed;
    }

    public boolean relayPending() {
        return relayPending;
    }

    /** Whether an async handler's Promise settled. */
    public boolean settled() {
        return settled;
    }

    /** What an async handler's Promise rejected with, or null. */
    public Value rejection() {
        return rejection;
    }

    /** Sends {@code status} unless the script disposed of the request; true if sent. */
    public boolean answer(int status, String reason) {
        if (disposed()) {
            return false;
        }
        finalSent = true;
        SipResponse.Builder b = host.responseBuilder(status);
        if (reason != null) {
            b.status(Status.of(status, reason));
        }
        if (status == 503) {
            b.setHeader("Retry-After", "1");
        }
        return host.respond(b.build());
    }

    @Export public void settled(Value error) {
        if (link.handlerDone()) {
            return; // finished already (e.g. its context's bookkeeping ended it): nothing to settle
        }
        if (error != null && !error.isNull()) {
            rejection = error;
        }
        settled = true;
        link.stateChanged();
    }

    /** Starts a new header list for {@link #reply}: nothing a failed call staged carries over. */
    @Export public void clearReplyHeaders() {
        replyHeaders.clear();
    }

    /** Adds a header to the next {@link #reply}. */
    @Export public void replyHeader(String name, String value) {
        replyHeaders.add(name);
        replyHeaders.add(value);
    }

    @Export public String reply(int status, String reason) {
        try {
            return replyNow(status, reason);
        } finally {
            replyHeaders.clear();
        }
    }

    private String replyNow(int status, String reason) {
        if (link.handlerDone()) {
            return FINISHED;
        }
        if (status < 100 || status > 699) {
            return "reply status must be 100..699, not " + status;
        }
        if (relayed) {
            return "the request was relayed: it cannot be answered too";
        }
        if (finalSent) {
            return "the request was answered already (a second final response)";
        }
        SipResponse.Builder b = host.responseBuilder(status);
        if (reason != null) {
            if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
                return "a reason must not contain CR or LF";
            }
            // Status.of refuses other controls (a host exception); the strict parser has the last word.
            String bad = StrictCheck.reason(status, reason);
            if (bad != null) {
                return "bad reply reason '" + reason + "': " + bad;
            }
            b.status(Status.of(status, reason));
        }
        for (int i = 0; i + 1 < replyHeaders.size(); i += 2) {
            String name = replyHeaders.get(i);
            String value = replyHeaders.get(i + 1);
            if (MANAGED_IN_REPLY.contains(name.trim().toLowerCase(java.util.Locale.ROOT))) {
                return "the " + name + " header cannot be set in a reply (the transaction layer copies it from the request)";
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                return "a header value must not contain CR or LF";
            }
            try {
                b.addHeader(name, value);
            } catch (RuntimeException e) {
                return "bad reply header " + name + ": " + e.getMessage();
            }
            String strict = StrictCheck.header(sip.message.HeaderName.of(name), value);
            if (strict != null) {
                return "bad reply header " + name + ": " + strict;
            }
        }
        if (status >= 200) {
            finalSent = true;
        }
        host.respond(b.build());
        return null;
    }

    /**
     * The warning the last call left (a relay with no targets answered 480, an auth check without
     * {@code config.auth} answered 403), once; null if none. The prelude logs it with
     * {@code sip.log.warn}, which names the script's {@code file:line}.
     */
    @Export public String takeWarning() {
        String w = warning;
        warning = null;
        return w;
    }

    /** Starts a new target list for {@link #relay}. */
    @Export public void clearTargets() {
        targets.clear();
    }

    /** Adds a URI target to the relay being built ({@code hook}: to what an onFailure call returns). */
    @Export public String target(String uri, boolean hook) {
        try {
            (hook ? hookTargets : targets).add(Target.parse(uri));
            return null;
        } catch (RuntimeException e) {
            return "not a URI: '" + uri + "'";
        }
    }

    /** Adds a registered contact as a target. */
    @Export public String contactTarget(Object contact, boolean hook) {
        if (contact instanceof JsContact c) {
            (hook ? hookTargets : targets).add(c.target());
            return null;
        }
        return "a relay target must be a URI string or a contact from sip.location.lookup";
    }

    /**
     * Relays to the targets given since {@link #clearTargets}. Options are flattened by the
     * prelude: {@code recordRoute} -1 default / 0 / 1, {@code forking} null for the default,
     * {@code branchTimeout}, {@code responseTimeout} and {@code maxBranches} negative for the default.
     */
    @Export public String relay(JsRequest req, int recordRoute, String forking, double branchTimeout,
            double responseTimeout, int maxBranches,
            Value resolve, Value onResponse, Value onFailure) {
        if (req != request) {
            return "relay takes the req given to onRequest";
        }
        if (link.handlerDone()) {
            return FINISHED;
        }
        if (relayed) {
            return "the request was relayed already";
        }
        if (finalSent) {
            return "the request was answered already: it cannot be relayed";
        }
        List<Target> list = List.copyOf(targets);
        targets.clear();
        if (list.isEmpty()) { // the proxy answers 480 at once (no branch, so no onFailure)
            warning = "relay with no targets: 480";
        }
        RelayOptions.Builder b = RelayOptions.newBuilder();
        String bad = options(b, recordRoute, forking, branchTimeout, responseTimeout, maxBranches);
        if (bad != null) {
            return bad;
        }
        if (onResponse != null && !onResponse.isNull()) {
            b.onResponse((branch, response) -> link.call(() -> {
                onResponse.executeVoid(new JsViews.JsResponse(response), branch.index(), branch.target().uri().toString());
                return Boolean.TRUE;
            }, Boolean.FALSE));
        }
        if (onFailure != null && !onFailure.isNull()) {
            b.onBranchFailure(failureHook(onFailure));
        }
        SipRequest out = request.current();
        relayed = true;
        relayPending = true;
        link.relayStarted();
        CompletableFuture<RelayOutcome> f;
        try {
            f = host.relay(out, list, b.build());
        } catch (IllegalStateException e) {
            relayed = false;
            relayPending = false;
            link.relayCompleted(null);
            return e.getMessage();
        }
        this.resolve = resolve;
        f.whenComplete((outcome, error) -> {
            this.outcome = outcome != null ? outcome : new RelayOutcome.NotSent(String.valueOf(error));
            int before = result.getAndSet(DONE);
            if (before == WANTED || !link.handlerDone()) {
                link.relayCompleted(this::resolveOnce);
            } else {
                relayPending = false;
                link.relayCompleted(null);
            }
        });
        return null;
    }

    /** The relay's Promise got a reaction: its result is wanted (worker thread, inside JS). */
    @Export public void wantResult() {
        if (!result.compareAndSet(IDLE, WANTED) && result.get() == DONE) {
            resolveOnce(); // completed already and nobody had asked: resolve now, nested
        }
    }

    private void resolveOnce() {
        if (!resolved) {
            resolved = true;
            relayPending = false;
            RelayOutcome o = outcome;
            link.stateChanged();
            resolve.executeVoid(status(o), reason(o), kind(o));
        }
    }

    @Export public Object save(JsRequest req) {
        if (req != request) {
            return "sip.registrar.save takes the req given to onRequest";
        }
        if (link.handlerDone()) {
            return FINISHED;
        }
        if (disposed()) {
            return "the request was answered or relayed already";
        }
        SipRequest r = req.received();
        if (!"REGISTER".equals(r.method().toString())) {
            return "sip.registrar.save takes a REGISTER, not " + r.method();
        }
        RegisterOutcome o = version.registrar().process(r, host.flow(), host::responseBuilder);
        finalSent = true;
        host.respond(o.response().build());
        List<JsContact> contacts = new ArrayList<>();
        if (o instanceof RegisterOutcome.Accepted a) {
            java.time.Instant now = version.now();
            a.bindings().forEach(binding -> contacts.add(new JsContact(binding, now)));
        }
        return new JsSaved(o.response().build().statusCode(), contacts.toArray());
    }

    /** Why {@code realm} cannot be given to {@link #authCheck} (a TypeError), or null. */
    @Export public String authRealm(String realm) {
        if (link.handlerDone()) {
            return FINISHED;
        }
        return version.realmRefusal(realm);
    }

    @Export public String authCheck(JsRequest req, String realm) {
        if (req != request || disposed()) {
            return null;
        }
        SipRequest r = req.received();
        // A second check of the same request must not replay its nonce-count: remember the answer.
        if (authenticatedUser != null) {
            return authenticatedUser;
        }
        DigestAuthenticator auth = version.authenticator(realm, "REGISTER".equals(r.method().toString()));
        if (auth == null) {
            warning = "sip.auth.check without config.auth: 403";
            answer(403, "Forbidden");
            return null;
        }
        switch (auth.authenticate(r)) {
            case AuthResult.Authenticated(String user) -> {
                authenticatedUser = user;
                return user;
            }
            case AuthResult.Challenge c -> {
                SipResponse.Builder b = host.responseBuilder(c.status());
                for (String v : c.headerValues()) {
                    b.addHeader(c.headerName(), v);
                }
                finalSent = true;
                host.respond(b.build());
                return null;
            }
            case AuthResult.Rejected(int status, String reason) -> {
                answer(status, reason);
                return null;
            }
        }
    }

    private BiFunction<Branch, SipResponse, List<Target>> failureHook(Value onFailure) {
        return (branch, response) -> link.call(() -> {
            hookTargets.clear();
            try {
                onFailure.executeVoid(new JsViews.JsResponse(response), branch.index(), branch.target().uri().toString());
                return List.copyOf(hookTargets);
            } finally {
                hookTargets.clear();
            }
        }, List.of());
    }

    private static String options(RelayOptions.Builder b, int recordRoute, String forking, double branchTimeout,
            double responseTimeout, int maxBranches) {
        try {
            if (recordRoute >= 0) {
                b.recordRoute(recordRoute == 1);
            }
            if (forking != null) {
                b.forking(switch (forking) {
                    case "parallel" -> Forking.PARALLEL;
                    case "serial" -> Forking.SEQUENTIAL;
                    default -> throw new IllegalArgumentException("forking must be 'parallel' or 'serial', not '" + forking + "'");
                });
            }
            if (branchTimeout >= 0 || Double.isNaN(branchTimeout)) {
                if (!(branchTimeout >= 1)) {
                    throw new IllegalArgumentException("branchTimeout must be at least 1 ms, not " + branchTimeout);
                }
                b.branchTimeout(Duration.ofMillis((long) branchTimeout));
            }
            if (responseTimeout >= 0 || Double.isNaN(responseTimeout)) {
                if (!(responseTimeout >= 1)) {
                    throw new IllegalArgumentException("responseTimeout must be at least 1 ms, not " + responseTimeout);
                }
                b.responseTimeout(Duration.ofMillis((long) responseTimeout));
            }
            if (maxBranches >= 0) {
                b.maxBranches(maxBranches);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "bad relay options: " + e.getMessage();
        }
    }

    private static int status(RelayOutcome o) {
        return switch (o) {
            case RelayOutcome.Forwarded f -> f.response().statusCode();
            case RelayOutcome.Answered a -> a.response().statusCode();
            case RelayOutcome.NotSent n -> 0;
        };
    }

    private static String reason(RelayOutcome o) {
        return switch (o) {
            case RelayOutcome.Forwarded f -> f.response().status().reason();
            case RelayOutcome.Answered a -> a.response().status().reason();
            case RelayOutcome.NotSent n -> n.reason();
        };
    }

    private static String kind(RelayOutcome o) {
        return switch (o) {
            case RelayOutcome.Forwarded f -> "forwarded";
            case RelayOutcome.Answered a -> "answered";
            case RelayOutcome.NotSent n -> "not-sent";
        };
    }
}
