package sip.script.internal.js;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.PolyglotException;
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

    private final RequestHost host;
    private final JsRequest request;
    private final VersionBinding version;
    private final JsLink link;
    private volatile boolean finalSent;
    private volatile boolean relayed;
    private volatile boolean relayPending;
    private volatile boolean settled;
    private volatile Value rejection;

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
        if (error != null && !error.isNull()) {
            rejection = error;
        }
        settled = true;
    }

    @Export public String reply(int status, String reason, Value headerPairs) {
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
            b.status(Status.of(status, reason));
        }
        for (long i = 0; i + 1 < headerPairs.getArraySize(); i += 2) {
            String name = headerPairs.getArrayElement(i).asString();
            String value = headerPairs.getArrayElement(i + 1).asString();
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                return "a header value must not contain CR or LF";
            }
            try {
                b.addHeader(name, value);
            } catch (RuntimeException e) {
                return "bad reply header " + name + ": " + e.getMessage();
            }
        }
        if (status >= 200) {
            finalSent = true;
        }
        host.respond(b.build());
        return null;
    }

    @Export public String relay(JsRequest req, Value targets, Value options, Value resolve, Value onResponse, Value onFailure) {
        if (req != request) {
            return "relay takes the req given to onRequest";
        }
        if (relayed) {
            return "the request was relayed already";
        }
        if (finalSent) {
            return "the request was answered already: it cannot be relayed";
        }
        List<Target> list = new ArrayList<>();
        String bad = targets(targets, list);
        if (bad != null) {
            return bad;
        }
        RelayOptions.Builder b = RelayOptions.newBuilder();
        bad = options(options, b);
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
            link.relayCompleted(() -> { });
            return e.getMessage();
        }
        f.whenComplete((outcome, error) -> {
            RelayOutcome o = outcome != null ? outcome : new RelayOutcome.NotSent(String.valueOf(error));
            link.relayCompleted(() -> {
                relayPending = false;
                resolve.executeVoid(status(o), reason(o), kind(o));
            });
        });
        return null;
    }

    @Export public Object save(JsRequest req) {
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

    @Export public String authCheck(JsRequest req, String realm) {
        if (disposed()) {
            return null;
        }
        SipRequest r = req.received();
        DigestAuthenticator auth = version.authenticator(realm, "REGISTER".equals(r.method().toString()));
        if (auth == null) {
            answer(403, "Forbidden");
            return null;
        }
        switch (auth.authenticate(r)) {
            case AuthResult.Authenticated(String user) -> {
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
            Value more = onFailure.execute(new JsViews.JsResponse(response), branch.index(), branch.target().uri().toString());
            List<Target> next = new ArrayList<>();
            String bad = targets(more, next);
            if (bad != null) {
                version.host().log(org.slf4j.event.Level.ERROR, version.fileName(), "onFailure: " + bad);
                return List.<Target>of();
            }
            return List.copyOf(next);
        }, List.of());
    }

    private static String targets(Value targets, List<Target> out) {
        for (long i = 0; i < targets.getArraySize(); i++) {
            Value t = targets.getArrayElement(i);
            if (t.isString()) {
                try {
                    out.add(Target.parse(t.asString()));
                } catch (RuntimeException e) {
                    return "not a URI: '" + t.asString() + "'";
                }
            } else if (t.isHostObject() && t.asHostObject() instanceof JsContact c) {
                out.add(c.target());
            } else {
                return "a relay target must be a URI string or a contact from sip.location.lookup";
            }
        }
        return null;
    }

    private static String options(Value o, RelayOptions.Builder b) {
        if (o == null || o.isNull()) {
            return null;
        }
        if (!o.hasMembers()) {
            return "relay options must be an object";
        }
        try {
            for (String key : o.getMemberKeys()) {
                Value v = o.getMember(key);
                switch (key) {
                    case "recordRoute" -> b.recordRoute(v.asBoolean());
                    case "forking" -> b.forking(switch (v.asString()) {
                        case "parallel" -> Forking.PARALLEL;
                        case "serial" -> Forking.SEQUENTIAL;
                        default -> throw new IllegalArgumentException("forking must be 'parallel' or 'serial', not '" + v.asString() + "'");
                    });
                    case "branchTimeout" -> b.branchTimeout(Duration.ofMillis(v.asLong()));
                    case "maxBranches" -> b.maxBranches(v.asInt());
                    default -> throw new IllegalArgumentException("unknown relay option '" + key
                            + "' (recordRoute, forking, branchTimeout, maxBranches)");
                }
            }
            return null;
        } catch (IllegalArgumentException | ClassCastException | PolyglotException e) {
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
