package sip.dns.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.WireParseException;
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;
import sip.dns.DnsStats;

/**
 * Answers (name, type) questions without DNS ({@link LocalNames}: localhost, the hosts file), from
 * the cache, or with one query each: concurrent askers of one question share the query in flight
 * (single-flight), every answer goes into the cache before the flight ends, so a later asker finds
 * either the flight or the cache. CNAMEs a server did not resolve are asked again, at most
 * {@link ResponseReader#MAX_CNAME_LINKS} links in all, counted across the answers.
 *
 * <p>Every lookup belongs to a {@link Call}, which bounds it: a query gets no attempt after the
 * deadline of the call that sent it, and a call's lookups fail with TIMEOUT once the call has
 * {@linkplain Call#expire() expired}, without waiting for their queries.
 *
 * <p>Thread-safe; never blocks: queries are sent through the {@link QuerySender}, completions run
 * on its threads.
 */
final class Lookups {
    private static final Logger log = LoggerFactory.getLogger(Lookups.class);

    private final RecordCache cache;
    private final LocalNames localNames;
    private final Supplier<QuerySender> sender;
    private final Map<Question, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder queriesSent = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder negativeHits = new LongAdder();
    private final LongAdder sharedLookups = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean closed;

    /**
     * @param localNames the names answered without DNS
     * @param sender made on first use, so building a locator reads no configuration and sends nothing
     */
    Lookups(RecordCache cache, LocalNames localNames, Supplier<QuerySender> sender) {
        this.cache = cache;
        this.localNames = localNames;
        this.sender = sender;
    }

    /** Without a hosts file: unit tests. */
    Lookups(RecordCache cache, Supplier<QuerySender> sender) {
        this(cache, new LocalNames(null), sender);
    }

    /**
     * The answer to {@code question} with CNAMEs followed: {@link Answer.Records} or
     * {@link Answer.Negative}; completes exceptionally with a {@link DnsLookupException} (TIMEOUT
     * at the latest when {@code call} expires), or an {@link IOException} once closed.
     */
    CompletableFuture<Answer> resolve(Question question, Call call) {
        if (call.isExpired()) {
            return CompletableFuture.failedFuture(call.timeout(question));
        }
        CompletableFuture<Answer> answer = resolve(question, question, 0, call);
        if (answer.isDone()) {
            return answer;
        }
        CompletableFuture<Answer> bounded = new CompletableFuture<>();
        answer.whenComplete((a, e) -> {
            if (e == null) {
                bounded.complete(a);
            } else {
                bounded.completeExceptionally(e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e);
            }
        });
        call.expired.whenComplete((v, e) -> bounded.completeExceptionally(call.timeout(question)));
        return bounded;
    }

    private CompletableFuture<Answer> resolve(Question original, Question question, int links, Call call) {
        CompletableFuture<Answer> looked = lookup(question, call);
        if (looked.isDone() && !looked.isCompletedExceptionally()) {
            // answered at once (local name or cache: every lookup of a warm locate): no stage to chain
            Answer answer = looked.join();
            if (!(answer instanceof Answer.Alias) && links + answer.links() <= ResponseReader.MAX_CNAME_LINKS) {
                return looked;
            }
        }
        return looked.thenCompose(answer -> {
            // the links inside this answer count too: a chain may be spread over several answers
            int total = links + answer.links();
            if (total > ResponseReader.MAX_CNAME_LINKS) {
                return CompletableFuture.failedFuture(new DnsLookupException(Reason.MALFORMED, original.host(),
                        original.typeName(), "CNAME chain longer than " + ResponseReader.MAX_CNAME_LINKS, null));
            }
            if (answer instanceof Answer.Alias alias) {
                return resolve(original, new Question(alias.target(), question.type()), total, call);
            }
            return CompletableFuture.completedFuture(answer);
        });
    }

    /** One question, without DNS, from the cache, a flight in progress, or a new query. */
    CompletableFuture<Answer> lookup(Question question, Call call) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        Answer local = localNames.answer(question);
        if (local != null) {
            return CompletableFuture.completedFuture(local);
        }
        Answer cached = cache.get(question);
        if (cached != null) {
            return CompletableFuture.completedFuture(hit(cached));
        }
        if (call.isExpired()) {
            return CompletableFuture.failedFuture(call.timeout(question));
        }
        call.waitingFor(question);
        CompletableFuture<Answer> flight = new CompletableFuture<>();
        CompletableFuture<Answer> existing = inFlight.putIfAbsent(question, flight);
        if (existing != null) {
            sharedLookups.increment();
            return call.track(question, existing.copy());   // a copy: no asker can complete the shared flight
        }
        // The flight that just ended may have filled the cache between our miss and our claim.
        cached = cache.get(question);
        if (cached != null) {
            inFlight.remove(question, flight);
            flight.complete(cached);
            return call.track(question, CompletableFuture.completedFuture(hit(cached)));
        }
        if (closed) {   // close() may have swept inFlight before our claim
            inFlight.remove(question, flight);
            return CompletableFuture.failedFuture(closedException());
        }
        queriesSent.increment();
        Message query = Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN));
        CompletableFuture<QuerySender.Reply> sent;
        try {
            sent = sender.get().send(query, call.deadline());
        } catch (RuntimeException e) {
            // e.g. no DNS server configured: a server failure, not a malformed answer
            sent = CompletableFuture.failedFuture(new IOException("cannot send the query: " + e.getMessage(), e));
        }
        CompletableFuture<QuerySender.Reply> attempts = sent;
        flight.whenComplete((a, e) -> attempts.cancel(false));   // ended otherwise (closed): no more attempts
        sent.whenComplete((reply, failure) -> land(question, flight, reply, failure));
        return call.track(question, flight.copy());
    }

    private Answer hit(Answer cached) {
        cacheHits.increment();
        if (cached instanceof Answer.Negative) {
            negativeHits.increment();
        }
        return cached;
    }

    private void land(Question question, CompletableFuture<Answer> flight, QuerySender.Reply reply, Throwable failure) {
        if (flight.isDone()) {
            return;   // failed by close(): its attempts were cancelled, nothing to count
        }
        try {
            if (failure != null) {
                throw failed(question, failure);
            }
            Answer answer = ResponseReader.read(question, reply.message(),
                    reply.server().getAddress().getHostAddress() + ":" + reply.server().getPort());
            cache.put(question, answer);
            inFlight.remove(question, flight);
            flight.complete(answer);
        } catch (DnsLookupException e) {
            if (e.reason() == Reason.TIMEOUT) {
                timeouts.increment();
            } else {
                failures.increment();
            }
            log.debug("{}", e.getMessage());
            inFlight.remove(question, flight);
            flight.completeExceptionally(e);
        } catch (RuntimeException e) {
            failures.increment();
            inFlight.remove(question, flight);
            flight.completeExceptionally(new DnsLookupException(Reason.MALFORMED, question.host(),
                    question.typeName(), String.valueOf(e), e));
        }
    }

    private static DnsLookupException failed(Question question, Throwable failure) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (cause instanceof SocketTimeoutException) {
            return new DnsLookupException(Reason.TIMEOUT, question.host(), question.typeName(),
                    "no answer from the DNS servers", cause);
        }
        if (cause instanceof WireParseException) {
            return new DnsLookupException(Reason.MALFORMED, question.host(), question.typeName(),
                    "answer not parseable: " + cause.getMessage(), cause);
        }
        if (cause instanceof IOException) {
            return new DnsLookupException(Reason.SERVER_FAILURE, question.host(), question.typeName(),
                    "query failed: " + cause, cause);
        }
        return new DnsLookupException(Reason.MALFORMED, question.host(), question.typeName(),
                "answer not usable: " + cause, cause);
    }

    DnsStats stats() {
        return new DnsStats(queriesSent.sum(), cacheHits.sum(), negativeHits.sum(), sharedLookups.sum(),
                timeouts.sum(), failures.sum(), cache.size(), inFlight.size());
    }

    void clearCache() {
        cache.clear();
    }

    /** Whether {@code name}'s addresses are answered without DNS (no search list for it). */
    boolean isLocal(org.xbill.DNS.Name name) {
        return localNames.isLocal(name);
    }

    /** Fails every flight (their queries stop after the attempt under way); later lookups fail at once. */
    void close() {
        closed = true;
        for (Map.Entry<Question, CompletableFuture<Answer>> e : inFlight.entrySet()) {
            inFlight.remove(e.getKey(), e.getValue());
            e.getValue().completeExceptionally(closedException());
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Not a DNS failure: the router's 503 must not blame the DNS server for it. */
    static IOException closedException() {
        return new IOException("DnsServerLocator is closed");
    }

    /**
     * One caller's lookups (one {@code locate}): the deadline its queries must end by, the
     * questions still unanswered (for its timeout message), and whether it has expired.
     */
    static final class Call {
        private final long deadline;
        private Set<Question> pending;   // guarded by this; made at the first question sent (a warm call sends none)
        private final CompletableFuture<Void> expired = new CompletableFuture<>();

        /** @param deadline the {@link System#nanoTime()} by which the call ends */
        Call(long deadline) {
            this.deadline = deadline;
        }

        /** A call without a practical deadline: unit tests. */
        static Call unbounded() {
            return new Call(System.nanoTime() + Duration.ofDays(1).toNanos());
        }

        long deadline() {
            return deadline;
        }

        /** Fails every lookup of this call still waiting, with TIMEOUT; later ones fail at once. */
        void expire() {
            expired.complete(null);
        }

        boolean isExpired() {
            return expired.isDone();
        }

        /** The oldest question this call asked that has not been answered (a timed-out one stays), or null. */
        synchronized Question pending() {
            return pending == null || pending.isEmpty() ? null : pending.iterator().next();
        }

        synchronized void waitingFor(Question question) {
            if (pending == null) {
                pending = new LinkedHashSet<>();
            }
            pending.add(question);
        }

        private CompletableFuture<Answer> track(Question question, CompletableFuture<Answer> answer) {
            answer.whenComplete((a, e) -> {
                Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
                if (!(cause instanceof DnsLookupException d && d.reason() == Reason.TIMEOUT)) {
                    synchronized (this) {
                        pending.remove(question);   // made by waitingFor before any track
                    }
                }
            });
            return answer;
        }

        DnsLookupException timeout(Question question) {
            return new DnsLookupException(Reason.TIMEOUT, question.host(), question.typeName(),
                    "no answer within the lookup timeout", null);
        }
    }
}
