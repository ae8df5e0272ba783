package sip.dns.internal;

import static sip.dns.internal.SipTransports.defaultPort;
import static sip.dns.internal.SipTransports.directProtocol;
import static sip.dns.internal.SipTransports.jdkProtocol;
import static sip.dns.internal.SipTransports.literal;
import static sip.dns.internal.SipTransports.secureProtocol;
import static sip.dns.internal.SipTransports.srvName;
import static sip.dns.internal.SipTransports.srvPrefix;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import sip.dns.AddressFamily;
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;
import sip.dns.DnsStats;
import sip.message.SipUri;
import sip.router.Destination;

/**
 * The RFC 3263 §4/§5 resolution behind {@link sip.dns.DnsServerLocator}: the rules are in that
 * class's javadoc. Each call builds a chain of asynchronous lookups ({@link Lookups}) and waits for
 * it at most {@code lookupTimeout}; independent lookups (the SRV names of the transports, A and
 * AAAA, the targets of one SRV set) run in parallel.
 *
 * <p>At the deadline the call {@linkplain Lookups.Call#expire() expires}: every lookup still
 * waiting counts as failed with TIMEOUT, so what has been found by then is returned (a lost AAAA
 * query beside an answered A, a lost SRV query of one transport beside another's records); only
 * with nothing usable is the call a TIMEOUT, naming a query still unanswered.
 *
 * <p>SRV weight draws are reproducible with a seeded generator: each call takes one number from
 * it (in call order), and each SRV set of the call draws from a generator derived from that number
 * and the set's name, whatever order the answers arrive in.
 */
public final class Rfc3263Locator {
    private static final Logger log = LoggerFactory.getLogger(Rfc3263Locator.class);
    /** Most destinations one call returns. */
    static final int MAX_DESTINATIONS = 64;
    /** SRV fall-back order when there is no usable NAPTR (RFC 3263 §4.1). */
    private static final List<String> SRV_TRANSPORTS = List.of("udp", "tcp", "tls", "ws", "wss");
    /** Completions of dnsjava's TCP queries run here, never on its selector thread. */
    private static final Executor COMPLETIONS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("sip-dns").factory());
    /**
     * After the deadline, how long the chain may take to settle with what it has: every lookup
     * has failed by then, so this is the time to assemble the destinations, not to wait for DNS.
     */
    private static final Duration SETTLE = Duration.ofMillis(100);

    private final LocatorConfig config;
    private final Lookups lookups;
    private volatile List<Name> searchPath;

    public Rfc3263Locator(LocatorConfig config) {
        this(config, () -> new NetworkSender(
                config.servers() != null ? config.servers() : ResolverConfig.getCurrentConfig().servers(),
                config.queryTimeout(), COMPLETIONS));
    }

    /** With another transport for the queries: unit tests. */
    Rfc3263Locator(LocatorConfig config, Supplier<QuerySender> sender) {
        this.config = config;
        this.lookups = new Lookups(new RecordCache(config.maxCacheEntries(), config.maxTtl(),
                config.maxNegativeTtl(), config.clock()), new LocalNames(config.hostsFile(), config.clock()), memoize(sender));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            value = v = supplier.get();
                        }
                    }
                }
                return v;
            }
        };
    }

    /** One number from the configured generator (or a thread-local one) per call: the seed of its SRV draws. */
    private long callSeed() {
        var random = config.random();
        if (random == null) {
            return ThreadLocalRandom.current().nextLong();
        }
        synchronized (random) {   // a user's generator need not be thread-safe
            return random.nextLong();
        }
    }

    /**
     * One locate call: its lookups' {@link Lookups.Call} and the seed of its SRV draws.
     */
    private record Resolution(Lookups.Call call, long seed) {
        /**
         * The draws for the SRV set {@code srvName}: a generator of its own, derived from the
         * call's seed and the name, so that the order does not depend on which answer came first.
         */
        LongUnaryOperator draws(Name srvName) {
            long nameHash = textHash(srvName);
            return new SplittableRandom(seed ^ (nameHash * 0x9E3779B97F4A7C15L))::nextLong;
        }
    }

    /**
     * {@code name.toString().toLowerCase(Locale.ROOT).hashCode()} without making the string (it
     * was a third of a warm NAPTR chain's allocation): folded over the canonical (lower-case) wire
     * form, one byte array. A name with a byte {@code toString()} escapes takes the string path,
     * so the value, and with it every seeded SRV order, is the same as before.
     */
    static int textHash(Name name) {
        byte[] wire = name.toWireCanonical();
        int h = 0;
        int pos = 0;
        while (pos < wire.length) {
            int length = wire[pos++];
            if (length == 0) {
                break;
            }
            for (int i = 0; i < length; i++) {
                int b = wire[pos++] & 0xFF;
                if (b <= 0x20 || b >= 0x7F || "\"().;\\@$".indexOf(b) >= 0) {
                    return name.toString().toLowerCase(Locale.ROOT).hashCode();
                }
                h = 31 * h + b;
            }
            h = 31 * h + '.';
        }
        return wire.length == 1 ? ".".hashCode() : h;
    }

    // ---------------------------------------------------------------- §4: requests

    public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
        String maddr = target.parameter("maddr");
        String host = maddr != null && !maddr.isEmpty() ? maddr : target.host();
        boolean secure = target.secure();
        InetAddress literal = literal(host);
        if (literal != null || target.port() >= 0) {
            String protocol = directProtocol(target, protocols);
            if (protocol == null) {
                return List.of();
            }
            int port = target.port() >= 0 ? target.port() : defaultPort(protocol);
            if (literal != null) {
                return List.of(new Destination(protocol, new InetSocketAddress(literal, port), null));
            }
            return await(host, "A", (name, at) -> addresses(name, protocol, port, serverName(name), at));
        }
        if (secure ? !protocols.contains("tls") && !protocols.contains("wss") : protocols.isEmpty()) {
            return List.of();   // no transport could be used: no query
        }
        String transport = target.transport();
        if (transport != null) {
            String protocol = secureProtocol(transport, secure);
            if (protocol == null || !protocols.contains(protocol)) {
                return List.of();
            }
            return await(host, "SRV", (name, at) -> srvOrAddresses(name, protocol, at));
        }
        return await(host, "NAPTR", (name, at) -> naptr(name, protocols, secure, target, at));
    }

    // ---------------------------------------------------------------- §5: responses

    public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
        String p = protocol.toLowerCase(Locale.ROOT);
        String h = host;
        InetAddress literal = literal(h);
        if (literal != null) {
            return List.of(new Destination(p, new InetSocketAddress(literal, port >= 0 ? port : defaultPort(p)), null));
        }
        if (port >= 0) {
            return await(h, "A", (name, at) -> addresses(name, p, port, serverName(name), at));
        }
        if (srvPrefix(p) == null) {
            return await(h, "A", (name, at) -> addresses(name, p, defaultPort(p), serverName(name), at));
        }
        return await(h, "SRV", (name, at) -> srvOrAddresses(name, p, at));
    }

    // ---------------------------------------------------------------- the steps

    /** NAPTR, then the SRV names it points at; without a usable NAPTR, SRV per transport. */
    private CompletableFuture<List<Destination>> naptr(Name name, Set<String> protocols, boolean secure,
                                                       SipUri target, Resolution at) {
        CompletableFuture<Answer> naptr = lookups.resolve(new Question(name, Type.NAPTR), at.call()).exceptionallyCompose(e -> {
            // A server or middlebox that fails NAPTR queries (SERVFAIL, NOTIMP, REFUSED, a broken
            // answer) leaves SRV and A/AAAA to try, as Kamailio does: "no usable NAPTR" (§4.1).
            // A timeout has used up the call's time, and a closed locator is closed.
            IOException failure = lookupFailure(e, name, "NAPTR");
            if (failure instanceof DnsLookupException d && d.reason() != Reason.TIMEOUT) {
                log.debug("going on without NAPTR records: {}", d.getMessage());
                return CompletableFuture.completedFuture(new Answer.Negative(false, 0));
            }
            return CompletableFuture.failedFuture(failure);
        });
        return naptr.thenCompose(answer -> {
            List<NAPTRRecord> naptrs = new ArrayList<>();
            for (Record rec : records(answer)) {
                if (rec instanceof NAPTRRecord n) {
                    naptrs.add(n);
                }
            }
            List<NaptrSelection.Choice> choices = NaptrSelection.select(naptrs, protocols, secure);
            if (choices.isEmpty()) {
                return srvPerTransport(name, protocols, secure, target, at);
            }
            List<CompletableFuture<SrvOutcome>> parts = new ArrayList<>();
            String domain = serverName(name);
            for (NaptrSelection.Choice c : choices) {
                parts.add(srv(c.srvName(), c.protocol(), domain, at));
            }
            return joined(parts, outcomes -> {
                // RFC 3263 §4.2: "If no SRV records were found, the client performs an A or AAAA
                // record lookup of the domain name", over the first NAPTR transport without SRV.
                for (int i = 0; i < outcomes.size(); i++) {
                    if (outcomes.get(i) instanceof SrvOutcome.None) {
                        String protocol = choices.get(i).protocol();
                        return addresses(name, protocol, defaultPort(protocol), serverName(name), at);
                    }
                }
                return CompletableFuture.failedFuture(new DnsLookupException(Reason.NO_RECORDS,
                        choices.getFirst().srvName().toString(true), "SRV",
                        "the services the NAPTR records of " + name.toString(true) + " name are not offered (SRV target \".\")",
                        null));
            });
        });
    }

    /** SRV for each supported transport (RFC 3263 §4.1 without NAPTR); without any, A/AAAA. */
    private CompletableFuture<List<Destination>> srvPerTransport(Name name, Set<String> protocols, boolean secure,
                                                                 SipUri target, Resolution at) {
        List<CompletableFuture<SrvOutcome>> parts = new ArrayList<>();
        String domain = serverName(name);
        for (String p : SRV_TRANSPORTS) {
            if (protocols.contains(p) && (!secure || p.equals("tls") || p.equals("wss"))) {
                Name srvName = srvName(p, name);
                if (srvName != null) {
                    parts.add(srv(srvName, p, domain, at));
                }
            }
        }
        return joined(parts, outcomes -> {
            if (outcomes.stream().anyMatch(o -> o instanceof SrvOutcome.Unavailable)) {
                return CompletableFuture.failedFuture(new DnsLookupException(Reason.NO_RECORDS, name.toString(true),
                        "SRV", "the SIP service is not offered (SRV target \".\")", null));
            }
            String protocol = jdkProtocol(target, protocols);
            if (protocol == null) {
                return CompletableFuture.completedFuture(List.of());
            }
            return addresses(name, protocol, defaultPort(protocol), serverName(name), at);
        });
    }

    /**
     * SRV lookups run side by side, joined: the destinations they found, else the first failure,
     * else what {@code ifNone} makes of the outcomes (all empty or not offered).
     */
    private static CompletableFuture<List<Destination>> joined(List<CompletableFuture<SrvOutcome>> parts,
            Function<List<SrvOutcome>, CompletableFuture<List<Destination>>> ifNone) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            List<SrvOutcome> outcomes = parts.stream().map(CompletableFuture::join).toList();
            List<Destination> found = found(outcomes);
            if (!found.isEmpty()) {
                return CompletableFuture.completedFuture(found);
            }
            IOException failure = firstFailure(outcomes);
            return failure != null ? CompletableFuture.failedFuture(failure) : ifNone.apply(outcomes);
        });
    }

    /** SRV of one transport; without records, A/AAAA at its default port. */
    private CompletableFuture<List<Destination>> srvOrAddresses(Name name, String protocol, Resolution at) {
        Name srvName = srvName(protocol, name);
        if (srvName == null) {
            return addresses(name, protocol, defaultPort(protocol), serverName(name), at);
        }
        return srv(srvName, protocol, serverName(name), at).thenCompose(outcome -> switch (outcome) {
            case SrvOutcome.Found f -> CompletableFuture.completedFuture(f.destinations());
            case SrvOutcome.Failed f -> CompletableFuture.failedFuture(f.failure());
            case SrvOutcome.Unavailable u -> CompletableFuture.failedFuture(new DnsLookupException(Reason.NO_RECORDS,
                    srvName.toString(true), "SRV", "the service is not offered (SRV target \".\")", null));
            case SrvOutcome.None n -> addresses(name, protocol, defaultPort(protocol), serverName(name), at);
        });
    }

    /** What one SRV name gave. */
    private sealed interface SrvOutcome {
        record Found(List<Destination> destinations) implements SrvOutcome {
        }

        /** NXDOMAIN or NODATA. */
        record None() implements SrvOutcome {
        }

        /** Only target "." (RFC 2782: decidedly not available), or records that cannot be used (port 0). */
        record Unavailable() implements SrvOutcome {
        }

        /** The lookup failed: a {@link DnsLookupException}, or the plain IOException of a closed locator. */
        record Failed(IOException failure) implements SrvOutcome {
        }
    }

    /** An SRV set in RFC 2782 order, each target's addresses in parallel; never fails, says how it went. */
    private CompletableFuture<SrvOutcome> srv(Name srvName, String protocol, String serverName, Resolution at) {
        return lookups.resolve(new Question(srvName, Type.SRV), at.call()).thenCompose(answer -> {
            if (!(answer instanceof Answer.Records r)) {
                return CompletableFuture.<SrvOutcome>completedFuture(new SrvOutcome.None());
            }
            List<SRVRecord> srvs = new ArrayList<>();
            for (Record rec : r.records()) {
                // target "." is RFC 2782's "not offered here"; port 0 cannot be connected to
                if (rec instanceof SRVRecord s && !s.getTarget().equals(Name.root) && s.getPort() != 0) {
                    srvs.add(s);
                }
            }
            if (srvs.isEmpty()) {
                return CompletableFuture.<SrvOutcome>completedFuture(new SrvOutcome.Unavailable());
            }
            List<CompletableFuture<List<Destination>>> targets = new ArrayList<>();
            for (SRVRecord s : SrvOrdering.order(srvs, at.draws(srvName))) {
                targets.add(addresses(s.getTarget(), protocol, s.getPort(), serverName, at));
            }
            return CompletableFuture.allOf(targets.toArray(CompletableFuture[]::new)).handle((v, ignored) -> {
                List<Destination> found = new ArrayList<>();
                IOException failure = null;
                for (CompletableFuture<List<Destination>> t : targets) {
                    if (t.isCompletedExceptionally()) {
                        failure = failure != null ? failure : lookupFailure(t.exceptionNow(), srvName, "SRV");
                    } else {
                        found.addAll(t.join());
                    }
                }
                if (!found.isEmpty()) {
                    return new SrvOutcome.Found(found);
                }
                return new SrvOutcome.Failed(failure != null ? failure : new DnsLookupException(Reason.NO_RECORDS,
                        srvName.toString(true), "SRV", "no address for any SRV target", null));
            });
        }).exceptionally(e -> new SrvOutcome.Failed(lookupFailure(e, srvName, "SRV")));
    }

    /**
     * The addresses of {@code name} (A and/or AAAA per the address family, in parallel) as
     * destinations, in the preferred family order. A family whose lookup failed is left out when
     * the other gave addresses.
     */
    private CompletableFuture<List<Destination>> addresses(Name name, String protocol, int port, String serverName,
                                                           Resolution at) {
        AddressFamily family = config.addressFamily();
        CompletableFuture<Object> a = family.wantsIpv4() ? settled(new Question(name, Type.A), at) : null;
        CompletableFuture<Object> aaaa = family.wantsIpv6() ? settled(new Question(name, Type.AAAA), at) : null;
        CompletableFuture<Void> both = CompletableFuture.allOf(
                a != null ? a : CompletableFuture.completedFuture(null),
                aaaa != null ? aaaa : CompletableFuture.completedFuture(null));
        return both.thenApply(v -> {
            Object ra = a != null ? a.join() : null;
            Object raaaa = aaaa != null ? aaaa.join() : null;
            List<Destination> found = destinations(addressesOf(ra), addressesOf(raaaa), protocol, port, serverName);
            if (!found.isEmpty()) {
                return found;
            }
            // Nothing usable: a failure says most, then NXDOMAIN, then "no records".
            for (Object x : new Object[] {ra, raaaa}) {
                if (x instanceof FailedAnswer f) {
                    throw new CompletionException(lookupFailure(f.failure(), name, x == ra ? "A" : "AAAA"));
                }
            }
            String types = family.wantsIpv4() && family.wantsIpv6() ? "A/AAAA" : family.wantsIpv4() ? "A" : "AAAA";
            boolean noSuchName = (ra == null || ra instanceof Answer.Negative n && n.noSuchName())
                    && (raaaa == null || raaaa instanceof Answer.Negative m && m.noSuchName());
            throw new CompletionException(noSuchName
                    ? new DnsLookupException(Reason.NO_SUCH_NAME, name.toString(true), types, "no such name", null)
                    : new DnsLookupException(Reason.NO_RECORDS, name.toString(true), types, "no address records", null));
        });
    }

    /** A lookup that failed, kept as a value so its sibling (A beside AAAA) can still be used. */
    private record FailedAnswer(Throwable failure) {
    }

    /** The answer, or the failure as a {@link FailedAnswer}: never completes exceptionally. */
    private CompletableFuture<Object> settled(Question question, Resolution at) {
        CompletableFuture<Answer> answer = lookups.resolve(question, at.call());
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(answer.join());   // cached or local: no stage to chain
        }
        return answer.handle((a, failure) -> failure == null ? a : new FailedAnswer(failure));
    }

    private List<Destination> destinations(List<InetAddress> v4, List<InetAddress> v6, String protocol, int port,
                                           String serverName) {
        List<InetAddress> first = config.addressFamily() == AddressFamily.IPV6_FIRST ? v6 : v4;
        List<InetAddress> second = first == v4 ? v6 : v4;
        List<Destination> out = new ArrayList<>(first.size() + second.size());
        for (InetAddress address : first) {
            out.add(new Destination(protocol, new InetSocketAddress(address, port), serverName));
        }
        for (InetAddress address : second) {
            out.add(new Destination(protocol, new InetSocketAddress(address, port), serverName));
        }
        return out;
    }

    private static List<InetAddress> addressesOf(Object answer) {
        return answer instanceof Answer.Records r ? r.addresses() : List.of();
    }

    private static List<Record> records(Object answer) {
        return answer instanceof Answer.Records r ? r.records() : List.of();
    }

    private static List<Destination> found(List<SrvOutcome> outcomes) {
        List<Destination> all = new ArrayList<>();
        for (SrvOutcome o : outcomes) {
            if (o instanceof SrvOutcome.Found f) {
                all.addAll(f.destinations());
            }
        }
        return all;
    }

    private static IOException firstFailure(List<SrvOutcome> outcomes) {
        for (SrvOutcome o : outcomes) {
            if (o instanceof SrvOutcome.Failed f) {
                return f.failure();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- waiting, search list

    /** One resolution chain for a host name: {@code name} absolute, {@code at} the call it belongs to. */
    @FunctionalInterface
    private interface Chain {
        CompletableFuture<List<Destination>> start(Name name, Resolution at);
    }

    /**
     * Runs {@code chain} for {@code host} (each search-list candidate of a dotless name in turn,
     * while the previous one gives NO_SUCH_NAME or NO_RECORDS) and waits for it at most
     * {@code lookupTimeout}; then expires the call, so the chain settles with what it has found.
     * Returns the destinations without duplicates, at most 64.
     */
    private List<Destination> await(String host, String firstType, Chain chain) throws IOException {
        if (lookups.isClosed()) {
            throw Lookups.closedException();
        }
        Duration timeout = config.lookupTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Name> candidates = candidates(host, firstType);
        Resolution at = new Resolution(new Lookups.Call(deadline), callSeed());
        CompletableFuture<List<Destination>> result = chain.start(candidates.getFirst(), at);
        for (Name next : candidates.subList(1, candidates.size())) {
            result = result.exceptionallyCompose(e -> {
                IOException failure = lookupFailure(e, next, firstType);
                return failure instanceof DnsLookupException d
                        && (d.reason() == Reason.NO_SUCH_NAME || d.reason() == Reason.NO_RECORDS)
                        ? chain.start(next, at) : CompletableFuture.failedFuture(failure);
            });
        }
        try {
            List<Destination> found;
            try {
                found = result.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Every lookup still waiting fails now: the chain uses what has been answered.
                at.call().expire();
                found = result.get(SETTLE.toNanos(), TimeUnit.NANOSECONDS);
            }
            return distinct(found);
        } catch (TimeoutException e) {
            throw timeout(host, firstType, timeout, at, null);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            if (lookups.isClosed()) {
                throw Lookups.closedException();
            }
            if (cause instanceof DnsLookupException d) {
                // Nothing usable and a lookup without an answer: the call timed out, whichever of
                // its queries it was (a query's own attempts end by the call's deadline).
                throw d.reason() == Reason.TIMEOUT ? timeout(host, firstType, timeout, at, d) : d;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("DNS lookup of " + host + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while resolving " + host);
        }
    }

    private static DnsLookupException timeout(String host, String firstType, Duration timeout, Resolution at,
                                              DnsLookupException cause) {
        Question pending = at.call().pending();
        String waitingFor = pending != null ? pending.toString()
                : cause != null ? cause.name() + " " + cause.type() : null;
        return new DnsLookupException(Reason.TIMEOUT, host, firstType, "no complete answer within "
                + timeout.toMillis() + " ms" + (waitingFor == null ? "" : " (waiting for " + waitingFor + ")"), cause);
    }

    /** The names to try for {@code host}: search domains first for a dotless name, then the name itself. */
    private List<Name> candidates(String host, String firstType) throws DnsLookupException {
        String h = host.endsWith(".") ? host : host + ".";
        try {
            Name absolute = Name.fromString(h);
            if (host.endsWith(".") || host.indexOf('.') >= 0 || lookups.isLocal(absolute)) {
                return List.of(absolute);   // localhost and hosts-file names are never searched
            }
            List<Name> names = new ArrayList<>();
            Name relative = Name.fromString(host);
            for (Name domain : searchPath()) {
                names.add(Name.concatenate(relative, domain));
            }
            names.add(absolute);
            return names;
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            throw new DnsLookupException(Reason.MALFORMED, host, firstType, "not a DNS name: " + e.getMessage(), e);
        }
    }

    private List<Name> searchPath() throws TextParseException {
        List<Name> path = searchPath;
        if (path == null) {
            List<Name> names = new ArrayList<>();
            if (config.searchDomains() != null) {
                for (String d : config.searchDomains()) {
                    names.add(Name.fromString(d.endsWith(".") ? d : d + "."));
                }
            } else {
                names.addAll(ResolverConfig.getCurrentConfig().searchPath());
            }
            searchPath = path = List.copyOf(names);
        }
        return path;
    }

    private static List<Destination> distinct(List<Destination> destinations) {
        // A scan of the kept ones (at most 64) instead of a HashSet of keys: no allocation per
        // destination on the warm path, at most 64 comparisons each.
        List<Destination> out = new ArrayList<>(Math.min(destinations.size(), MAX_DESTINATIONS));
        for (Destination d : destinations) {
            if (out.size() == MAX_DESTINATIONS) {
                break;
            }
            if (!contains(out, d)) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    /** Whether {@code kept} has a destination with {@code d}'s protocol and address. */
    private static boolean contains(List<Destination> kept, Destination d) {
        for (Destination k : kept) {
            if (k.address().equals(d.address()) && k.protocol().equals(d.protocol())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * {@code e} unwrapped: a {@link DnsLookupException}, the plain {@link IOException} of a closed
     * locator (not the DNS server's fault), or anything else as a SERVER_FAILURE naming {@code name}.
     */
    private static IOException lookupFailure(Throwable e, Name name, String type) {
        Throwable cause = unwrap(e);
        if (cause instanceof IOException io) {
            return io;
        }
        return new DnsLookupException(Reason.SERVER_FAILURE, name.toString(true), type, String.valueOf(cause), cause);
    }

    // ---------------------------------------------------------------- names, ports, protocols

    private static String serverName(Name name) {
        return name.toString(true);
    }

    // ---------------------------------------------------------------- the rest of the API

    public DnsStats stats() {
        return lookups.stats();
    }

    public void clearCache() {
        lookups.clearCache();
    }

    public void close() {
        lookups.close();
    }

    @Override
    public String toString() {
        return "[servers=" + (config.servers() == null ? "system" : config.servers()) + ", " + config.addressFamily()
                + ", " + stats() + "]";
    }
}
