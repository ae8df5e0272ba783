package sip.script.testing;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.Via;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.script.ScriptConfig;
import sip.script.ScriptException;
import sip.script.internal.runtime.ExecutorSettings;
import sip.script.internal.runtime.ScriptExecutor;
import sip.script.internal.testing.OfflineExchange;
import sip.script.internal.testing.OfflineScriptHost;
import sip.script.internal.testing.VirtualClock;
import sip.transport.spi.Flow;

/**
 * Runs a routing script offline, with no socket, against synthetic requests, and tells what it
 * did: replied, relayed (where, how), logged, failed. For unit tests of scripts (JUnit or any
 * other framework: failed checks are {@link AssertionError}s).
 *
 * <pre>{@code
 * try (ScriptTester t = ScriptTester.load(Path.of("examples/proxy.js"))) {
 *     t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060")).assertReplied(200);
 *     t.send(t.invite("sip:alice@example.test")).assertRelayed().to("sip:alice@10.0.0.2:5060").withRecordRoute();
 *     t.send(t.invite("sip:nobody@example.test")).assertReplied(404);
 * }
 * }</pre>
 *
 * <p>The script runs exactly as under {@code parley run}: the same JS binding of {@code req} and
 * {@code sip}, the same statement limit, the real registrar ({@code sip.registrar.save}, with the
 * script's {@code config.domains}), the real Digest authenticator ({@code sip.auth.check}, with
 * {@code config.auth}), a real {@code sip.store}. Only the network is simulated: a relay's
 * branches answer what {@link #onRelay} says (200 by default), immediately, and time (binding
 * expiry, store TTLs, nonce age) moves only with {@link #advance}, from {@link #START}.
 *
 * <p>One test thread drives a tester: {@link #send} returns once the handler finished and every
 * relay it made was played out. Close it (try-with-resources) to stop the script's worker.
 */
public final class ScriptTester implements AutoCloseable {

    /**
     * What {@link #onRelay} returns for a branch that never answers at all (a UDP server that is
     * down): the branch ends with the {@code 408} the proxy makes locally — after the relay's
     * {@code responseTimeout} in the real proxy, else {@code branchTimeout}, else Timer B/F (32 s).
     * The simulation does not move the clock; check the option with
     * {@link RelayAssert#withResponseTimeout}.
     */
    public static final int NO_ANSWER = 0;

    /** Where the virtual clock starts: {@code 2026-01-01T00:00:00Z}. */
    public static final Instant START = VirtualClock.START;

    private final VirtualClock clock = new VirtualClock();
    private final OfflineScriptHost host = new OfflineScriptHost(clock);
    private final ScriptExecutor executor;
    private final OfflineExchange exchange;
    private volatile ToIntFunction<String> answers = target -> 200;
    private volatile sip.router.auth.Credentials credentials;

    private ScriptTester(Builder b) {
        try {
            this.executor = ScriptExecutor.open(b.script, new ExecutorSettings(1, b.statementLimit, b.deadline, 16), host);
        } catch (ScriptException e) {
            host.close();
            throw new AssertionError("the script does not load: " + e.error(), e);
        }
        this.exchange = new OfflineExchange(executor, host, b.finishWithin);
    }

    /**
     * Loads {@code script} with every default.
     *
     * @throws AssertionError if the script does not load (a syntax error, no {@code onRequest}, a
     *     bad {@code config}, an unreadable file); its cause is the {@link ScriptException} with
     *     the {@link sip.script.ScriptError}
     */
    public static ScriptTester load(Path script) {
        return newBuilder(script).build();
    }

    public static Builder newBuilder(Path script) {
        return new Builder(script);
    }

    /** A REGISTER for {@code aor} ({@code "sip:alice@example.test"}) to its domain; add contacts to bind. */
    public SyntheticRequest register(String aor) {
        return new SyntheticRequest("REGISTER", aor);
    }

    /** An INVITE to {@code uri}. */
    public SyntheticRequest invite(String uri) {
        return new SyntheticRequest("INVITE", uri);
    }

    /** A request of any method to {@code uri}. */
    public SyntheticRequest request(String method, String uri) {
        return new SyntheticRequest(method, uri);
    }

    /** Sends {@code request} to the script. See {@link #send(SipRequest)}. */
    public Outcome send(SyntheticRequest request) {
        SipRequest r = request.build();
        return send(r, flow(request.transport(), request.source()));
    }

    /**
     * Sends {@code request} to the script, as arriving from its top Via's sent-by (its
     * {@code received}/{@code rport} when present) over the Via's transport, and returns once the
     * handler finished and its relay (if any) was played out. When the script challenges it
     * (401/407) and {@link #withCredentials} were given, the request is sent again with the
     * answer, as a phone would; the outcome is the last attempt's.
     *
     * @throws AssertionError if the script did not finish within the tester's time (a script
     *     stuck past its deadline would be a runtime bug; the default wait is generous)
     * @throws IllegalArgumentException for an ACK or a CANCEL: the proxy handles those, they
     *     never reach a script
     */
    public Outcome send(SipRequest request) {
        Via via = request.topVia();
        String sentBy = via.received() != null ? via.received() : via.host();
        int port = via.rport().isPresent() ? via.rport().getAsInt() : via.port() > 0 ? via.port() : 5060;
        return send(request, flow(via.transport().toLowerCase(Locale.ROOT), SyntheticRequest.address(sentBy, port)));
    }

    /**
     * Parses {@code raw} (a request in wire form; bare LF line ends are accepted) and sends it.
     *
     * @throws IllegalArgumentException if it does not parse as a request, with the reason
     */
    public Outcome send(String raw) {
        String wire = raw.replace("\r\n", "\n").replace("\n", "\r\n");
        ParseResult p = SipParser.lenient().parse(wire.getBytes(StandardCharsets.UTF_8));
        if (p instanceof ParseResult.Parsed(SipMessage m) && m instanceof SipRequest r) {
            return send(r);
        }
        throw new IllegalArgumentException("not a SIP request: " + p);
    }

    private Outcome send(SipRequest request, Flow flow) {
        String method = request.method().toString();
        if (method.equals("ACK") || method.equals("CANCEL")) {
            // The proxy absorbs or forwards these itself (RFC 3261 §16.10, §16.11); a test
            // sending one would check a path the runtime never takes.
            throw new IllegalArgumentException(method + " never reaches a script: the proxy handles it");
        }
        List<sip.message.SipResponse> challenges = new ArrayList<>();
        OfflineExchange.Result result = exchange.run(request, flow, answers);
        sip.router.auth.Credentials c = credentials;
        // Two rounds at most: a stale nonce may be challenged once more; a refused password is
        // challenged again (not stale), and a phone would stop there too.
        for (int round = 0; c != null && round < 2 && result.challenge().isPresent(); round++) {
            sip.message.SipResponse challenge = result.challenge().get();
            if (round > 0 && !OfflineExchange.isStale(challenge)) {
                break;
            }
            challenges.add(challenge);
            SipRequest answered = OfflineExchange.answer(result.request(), challenge, c);
            result = exchange.run(answered, flow, answers);
        }
        return new Outcome(result.request(), result.responses(), result.relays(), result.logs(), result.error(), challenges);
    }

    private static Flow flow(String transport, InetSocketAddress source) {
        return new Flow(transport, new InetSocketAddress(java.net.InetAddress.ofLiteral("127.0.0.1"), 5060), source);
    }

    /**
     * How each branch of later relays answers: {@code target -> status}, with the branch's
     * Request-URI. 2xx succeeds; {@link #NO_ANSWER} plays a target that never answers (the
     * proxy's local 408), 408 one the proxy gave up on otherwise, 503 one that is down or
     * overloaded. Default: 200 for every target.
     */
    public ScriptTester onRelay(ToIntFunction<String> answer) {
        this.answers = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /**
     * From now on, requests the script challenges (401/407) are sent again with Digest
     * credentials of {@code user}, as a phone would.
     */
    public ScriptTester withCredentials(String user, String password) {
        this.credentials = new sip.router.auth.Credentials(user, password);
        return this;
    }

    /** From now on, challenges are not answered (the default). */
    public ScriptTester withoutCredentials() {
        this.credentials = null;
        return this;
    }

    /** Moves the virtual clock forward: bindings, store entries and nonces age. */
    public ScriptTester advance(Duration by) {
        clock.advance(by);
        return this;
    }

    /** The virtual time. */
    public Instant now() {
        return clock.instant();
    }

    /** The contact URIs registered now for {@code aor}, best first; empty when none. */
    public List<String> contacts(String aor) {
        List<Binding> bindings = host.locationService().lookup(AddressOfRecord.parse(aor));
        return bindings.stream().map(b -> b.uri().toString()).toList();
    }

    /** The value {@code sip.store} holds under {@code key} (string, number or boolean), if any. */
    public Optional<Object> stored(String key) {
        return Optional.ofNullable(executor.store().get(key));
    }

    /** The script's {@code config}, as the runtime read it. */
    public ScriptConfig config() {
        return executor.config();
    }

    /** The executor's counters, for tests that live counts return to 0. */
    sip.script.ScriptStats stats() {
        return executor.stats();
    }

    /** Every line logged since the script loaded, requests and module load included. */
    public List<LogLine> logs() {
        return host.logsSince(0);
    }

    /** Stops the script's worker and closes its context. Idempotent. */
    @Override
    public void close() {
        try {
            executor.close();
        } finally {
            host.close();
        }
    }

    /** Settings of a {@link ScriptTester}; each default is stated once, here. */
    public static final class Builder {
        private final Path script;
        private long statementLimit = 1_000_000;
        private Duration deadline = Duration.ofSeconds(5);
        private Duration finishWithin = Duration.ofSeconds(60);

        private Builder(Path script) {
            this.script = Objects.requireNonNull(script, "script");
        }

        /** Statements per handler call, as {@code parley run}'s default: 1,000,000. */
        public Builder statementLimit(long statements) {
            if (statements < 1) {
                throw new IllegalArgumentException("statementLimit must be positive: " + statements);
            }
            this.statementLimit = statements;
            return this;
        }

        /**
         * Wall-clock time per JS entry (handler, hook). Default 5 s, more than {@code parley
         * run}'s 2 s: a test's first requests run interpreted on a machine busy building.
         */
        public Builder deadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive: " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * How long {@link ScriptTester#send} waits for the script to finish before failing the
         * test. Default 60 s.
         */
        public Builder finishWithin(Duration wait) {
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("finishWithin must be positive: " + wait);
            }
            this.finishWithin = wait;
            return this;
        }

        /** @throws AssertionError if the script does not load, as {@link ScriptTester#load} */
        public ScriptTester build() {
            return new ScriptTester(this);
        }
    }
}
