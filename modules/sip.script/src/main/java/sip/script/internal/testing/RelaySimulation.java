package sip.script.internal.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.proxy.Branch;
import sip.router.proxy.Forking;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.script.testing.Relay;
import sip.script.testing.ScriptTester;

/**
 * Plays out one relay without a network, the way {@link sip.router.proxy.Proxy#relay} would with
 * branches answering as {@code answers} says: each branch gets its simulated final response, the
 * script's {@code onResponse}/{@code onFailure} hooks see it, targets {@code onFailure} returns
 * become new branches (next in a serial relay, at once in a parallel one), the first 2xx or a
 * 6xx decides (parallel branches still open are cancelled: 487), otherwise the best response of
 * RFC 3261 §16.7 goes upstream (a 503 as 500, item 6). Runs on the test thread; the hooks block
 * it while the script runs them on its worker.
 */
public final class RelaySimulation {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySimulation.class);

    /** Where the offline proxy says it is, in its Via and Record-Route. */
    public static final String PROXY_HOST = "127.0.0.1";
    public static final int PROXY_PORT = 5060;
    private static final SipUri RECORD_ROUTE = SipUri.parse("sip:" + PROXY_HOST + ":" + PROXY_PORT + ";lr");

    private RelaySimulation() {
    }

    /**
     * Plays {@code relay} out, forwards the chosen response through {@code host}, and completes
     * the relay's future.
     */
    public static Relay run(OfflineRequestHost.PendingRelay relay, ToIntFunction<String> answers,
                            OfflineRequestHost host) {
        try {
            return play(relay, answers, host);
        } catch (RuntimeException e) {
            // The script's Promise must settle whatever the test's answer function did, or its
            // worker would keep the relay (and the version) forever.
            relay.result().complete(new RelayOutcome.NotSent("the offline relay failed: " + e));
            throw e;
        }
    }

    /**
     * The branch's final status: the simulated answer, or for {@link ScriptTester#NO_ANSWER} the
     * 408 the real proxy makes for a branch that never answers — after the relay's
     * {@code responseTimeout} (or {@code branchTimeout}), else after its transaction's Timer B/F
     * (32 s; for an INVITE that is past the caller's own Timer B, which is why such a relay
     * wants a {@code responseTimeout}). Time does not pass here either way.
     */
    private static int answer(ToIntFunction<String> answers, String target, RelayOptions options) {
        int status = answers.applyAsInt(target);
        if (status == ScriptTester.NO_ANSWER) {
            LOG.info("branch to {} never answers: a local 408 after {}", target,
                    options.responseTimeout().map(t -> "responseTimeout " + t.toMillis() + " ms")
                            .or(() -> options.branchTimeout().map(t -> "branchTimeout " + t.toMillis() + " ms"))
                            .orElse("the transaction's Timer B/F (32 s)"));
            return 408;
        }
        if (status < 200 || status > 699) {
            throw new IllegalArgumentException("onRelay answered " + status + " for " + target
                    + ": a branch ends with a final status, 200..699, or ScriptTester.NO_ANSWER");
        }
        return status;
    }

    private static Relay play(OfflineRequestHost.PendingRelay relay, ToIntFunction<String> answers,
                              OfflineRequestHost host) {
        RelayOptions options = relay.options();
        // As the real proxy (ProxyImpl): a REGISTER is never record-routed (RFC 3261 §10.2: no dialog).
        boolean recordRoute = options.recordRoute().orElse(true)
                && !relay.request().method().equals(sip.message.Method.REGISTER);
        boolean serial = options.forking() == Forking.SEQUENTIAL;
        Deque<Target> waiting = new ArrayDeque<>(relay.targets());
        List<Relay.Branch> branches = new ArrayList<>();
        List<SipResponse> finals = new ArrayList<>();
        SipResponse decisive = null;
        int started = 0;
        while (!waiting.isEmpty() && decisive == null) {
            if (started == options.maxBranches()) {
                LOG.info("relay of {}: maxBranches {} reached, {} targets not tried",
                        relay.request().callId(), options.maxBranches(), waiting.size());
                break;
            }
            Target target = waiting.poll();
            Branch branch = new Branch(started++, target);
            SipRequest copy = branchRequest(relay.request(), target, recordRoute, branch.index());
            if (options.onBranch().isPresent()) {
                copy = options.onBranch().get().apply(branch, copy);
            }
            String uri = target.uri().toString();
            int status = answer(answers, uri, options);
            SipResponse response = SipResponse.builder(copy, status).build();
            branches.add(new Relay.Branch(branch.index(), uri, copy, status));
            if (options.onResponse().isPresent()) {
                try {
                    options.onResponse().get().accept(branch, response);
                } catch (RuntimeException e) {
                    LOG.warn("onResponse hook failed; the relay goes on", e); // as the proxy does
                }
            }
            if (status < 300 || status >= 600) {
                decisive = response;
                continue;
            }
            finals.add(response);
            if (options.onBranchFailure().isPresent()) {
                List<Target> more;
                try {
                    more = options.onBranchFailure().get().apply(branch, response);
                } catch (RuntimeException e) {
                    LOG.warn("onFailure hook failed; no more targets", e); // as the proxy does
                    more = List.of();
                }
                if (more != null && !more.isEmpty()) {
                    if (serial) {
                        for (int i = more.size() - 1; i >= 0; i--) {
                            waiting.addFirst(more.get(i));
                        }
                    } else {
                        waiting.addAll(more);
                    }
                }
            }
        }
        if (decisive != null && !serial) {
            // The other parallel branches had started with the first; the decision cancels them.
            int index = started;
            for (Target t : waiting) {
                if (index == options.maxBranches()) {
                    break;
                }
                SipRequest copy = branchRequest(relay.request(), t, recordRoute, index);
                branches.add(new Relay.Branch(index++, t.uri().toString(), copy, 487));
            }
        }
        RelayOutcome outcome;
        Optional<SipResponse> upstream;
        if (branches.isEmpty()) {
            SipResponse r = SipResponse.builder(relay.request(), 480).build();
            outcome = new RelayOutcome.Answered(r, RelayOutcome.Cause.NO_TARGETS);
            upstream = Optional.of(r);
        } else {
            SipResponse chosen = decisive != null ? decisive : best(finals);
            int code = chosen.statusCode() == 503 ? 500 : chosen.statusCode();
            SipResponse r = SipResponse.builder(relay.request(), code).build();
            int index = indexOf(branches, chosen);
            outcome = new RelayOutcome.Forwarded(r, new Branch(index, targetOf(relay, branches.get(index))));
            upstream = Optional.of(r);
        }
        host.forward(upstream.get());
        relay.result().complete(outcome);
        return new Relay(relay.request(), relay.targets().stream().map(t -> t.uri().toString()).toList(),
                recordRoute, serial ? "serial" : "parallel", options.branchTimeout(), options.responseTimeout(), options.maxBranches(),
                branches, upstream);
    }

    // RFC 3261 §16.7 item 6: a 6xx is decisive (handled above); otherwise the lowest class wins,
    // the first one received within it.
    private static SipResponse best(List<SipResponse> finals) {
        SipResponse best = finals.getFirst();
        for (SipResponse r : finals) {
            if (r.statusCode() / 100 < best.statusCode() / 100) {
                best = r;
            }
        }
        return best;
    }

    private static int indexOf(List<Relay.Branch> branches, SipResponse chosen) {
        for (Relay.Branch b : branches) {
            if (b.request().topVia().equals(chosen.topVia())) {
                return b.index();
            }
        }
        return 0;
    }

    private static Target targetOf(OfflineRequestHost.PendingRelay relay, Relay.Branch b) {
        for (Target t : relay.targets()) {
            if (t.uri().toString().equals(b.target())) {
                return t;
            }
        }
        return Target.parse(b.target());
    }

    /** The copy a proxy forwards (RFC 3261 §16.6): new Request-URI, Path as Route, Max-Forwards − 1, Record-Route, Via. */
    static SipRequest branchRequest(SipRequest request, Target target, boolean recordRoute, int index) {
        SipRequest.Builder b = request.toBuilder().requestUri(target.uri());
        List<NameAddress> path = target.path();
        for (int i = path.size() - 1; i >= 0; i--) {
            b.addFirst(HeaderType.ROUTE, path.get(i));
        }
        b.maxForwards(request.maxForwards().orElse(71) - 1);
        if (recordRoute) {
            b.addFirst(HeaderType.RECORD_ROUTE, NameAddress.of(RECORD_ROUTE));
        }
        String branch = Via.MAGIC_COOKIE + "-offline-" + Integer.toHexString(request.topVia().branch().hashCode()) + "." + index;
        b.via(Via.of("UDP", PROXY_HOST, PROXY_PORT, branch));
        return b.build();
    }
}
