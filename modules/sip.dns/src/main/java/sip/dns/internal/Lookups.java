package sip.dns.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
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
import sip.dns.DnsLookupException;
import sip.dns.DnsLookupException.Reason;
import sip.dns.DnsStats;

/**
 * Answers (name, type) questions from the cache or with one query each: concurrent askers of one
 * question share the query in flight (single-flight), every answer goes into the cache before the
 * flight ends, so a later asker finds either the flight or the cache. CNAMEs a server did not
 * resolve are asked again, at most {@link ResponseReader#MAX_CNAME_LINKS} links in all.
 *
 * <p>Thread-safe; never blocks: queries are sent through the {@link QuerySender}, completions run
 * on its executor.
 */
final class Lookups {
    private static final Logger log = LoggerFactory.getLogger(Lookups.class);

    private final RecordCache cache;
    private final Supplier<QuerySender> sender;
    private final Map<Question, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder queriesSent = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder negativeHits = new LongAdder();
    private final LongAdder sharedLookups = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean closed;

    /** @param sender made on first use, so building a locator reads no configuration and sends nothing */
    Lookups(RecordCache cache, Supplier<QuerySender> sender) {
        this.cache = cache;
        this.sender = sender;
    }

    /**
     * The answer to {@code question} with CNAMEs followed: {@link Answer.Records} or
     * {@link Answer.Negative}; completes exceptionally with a {@link DnsLookupException}, or an
     * {@link IOException} once closed.
     *
     * @param trace told each question that needs a query, for the timeout message
     */
    CompletableFuture<Answer> resolve(Question question, Trace trace) {
        return resolve(question, question, 0, trace);
    }

    private CompletableFuture<Answer> resolve(Question original, Question question, int links, Trace trace) {
        return lookup(question, trace).thenCompose(answer -> {
            if (!(answer instanceof Answer.Alias alias)) {
                return CompletableFuture.completedFuture(answer);
            }
            int total = links + alias.links();
            if (total > ResponseReader.MAX_CNAME_LINKS) {
                return CompletableFuture.failedFuture(new DnsLookupException(Reason.MALFORMED, original.host(),
                        original.typeName(), "CNAME chain longer than " + ResponseReader.MAX_CNAME_LINKS, null));
            }
            return resolve(original, new Question(alias.target(), question.type()), total, trace);
        });
    }

    /** One question, from the cache, a flight in progress, or a new query. */
    CompletableFuture<Answer> lookup(Question question, Trace trace) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        Answer cached = cache.get(question);
        if (cached != null) {
            cacheHits.increment();
            if (cached instanceof Answer.Negative) {
                negativeHits.increment();
            }
            return CompletableFuture.completedFuture(cached);
        }
        trace.waitingFor(question);
        CompletableFuture<Answer> flight = new CompletableFuture<>();
        CompletableFuture<Answer> existing = inFlight.putIfAbsent(question, flight);
        if (existing != null) {
            sharedLookups.increment();
            return existing.copy();   // a copy: no asker can complete the shared flight
        }
        // The flight that just ended may have filled the cache between our miss and our claim.
        cached = cache.get(question);
        if (cached != null) {
            inFlight.remove(question, flight);
            flight.complete(cached);
            cacheHits.increment();
            return flight.copy();
        }
        if (closed) {   // close() may have swept inFlight before our claim
            inFlight.remove(question, flight);
            return CompletableFuture.failedFuture(closedException());
        }
        queriesSent.increment();
        Message query = Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN));
        CompletableFuture<QuerySender.Reply> sent;
        try {
            sent = sender.get().send(query);
        } catch (RuntimeException e) {
            // e.g. no DNS server configured: a server failure, not a malformed answer
            sent = CompletableFuture.failedFuture(new IOException("cannot send the query: " + e.getMessage(), e));
        }
        sent.whenComplete((reply, failure) -> land(question, flight, reply, failure));
        return flight.copy();
    }

    private void land(Question question, CompletableFuture<Answer> flight, QuerySender.Reply reply, Throwable failure) {
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

    /** Fails every flight; later lookups fail at once. */
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

    private static IOException closedException() {
        return new IOException("DnsServerLocator is closed");
    }

    /** What one locate call is waiting for, for its timeout message. */
    static final class Trace {
        private volatile Question pending;

        void waitingFor(Question question) {
            pending = question;
        }

        Question pending() {
            return pending;
        }
    }
}
