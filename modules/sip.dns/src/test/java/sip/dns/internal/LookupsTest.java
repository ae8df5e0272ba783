package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;
import sip.dns.DnsLookupException;
import sip.dns.DnsStats;

class LookupsTest {
    private final FakeClock clock = new FakeClock();
    private final FakeZone zone = new FakeZone().a("h.example.test", 60, "192.0.2.1").soa(60, 30);
    private final Lookups lookups = new Lookups(new RecordCache(100, Duration.ofHours(1), Duration.ofMinutes(5), clock),
            () -> zone);
    private final Question h = new Question(FakeZone.name("h.example.test"), Type.A);

    @Test
    void concurrentAskersOfOneQuestionShareOneQuery() throws Exception {
        zone.hold("h.example.test", Type.A);
        int callers = 16;
        CountDownLatch started = new CountDownLatch(callers);
        List<Future<Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    CompletableFuture<Answer> f = lookups.resolve(h, new Lookups.Trace());
                    started.countDown();
                    return f.get(5, TimeUnit.SECONDS);
                }));
            }
            assertTrue(started.await(5, TimeUnit.SECONDS));
            DnsStats during = lookups.stats();
            assertEquals(1, during.queriesSent());
            assertEquals(callers - 1, during.sharedLookups());
            assertEquals(1, during.inFlight());
            // the server answers now
            Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(h.name(), Type.A, org.xbill.DNS.DClass.IN));
            zone.held.get(h).complete(new QuerySender.Reply(zone.answer(query, h), FakeZone.SERVER));
            for (Future<Answer> f : answers) {
                assertEquals(1, assertInstanceOf(Answer.Records.class, f.get(5, TimeUnit.SECONDS)).records().size());
            }
        }
        assertEquals(1, zone.count("h.example.test", Type.A));
        DnsStats after = lookups.stats();
        assertEquals(0, after.inFlight());
        assertEquals(1, after.cacheEntries());
        lookups.resolve(h, new Lookups.Trace()).get();
        assertEquals(1, lookups.stats().cacheHits());
        assertEquals(1, zone.count("h.example.test", Type.A));
    }

    @Test
    void theCacheAnswersUntilTheTtlEndsThenItIsAskedAgain() throws Exception {
        lookups.resolve(h, new Lookups.Trace()).get();
        clock.advance(Duration.ofSeconds(59));
        lookups.resolve(h, new Lookups.Trace()).get();
        assertEquals(1, zone.count("h.example.test", Type.A));
        clock.advance(Duration.ofSeconds(1));
        lookups.resolve(h, new Lookups.Trace()).get();
        assertEquals(2, zone.count("h.example.test", Type.A));
    }

    @Test
    void negativeAnswersAreCachedForTheSoaNegativeTtl() throws Exception {
        Question nope = new Question(FakeZone.name("nope.example.test"), Type.A);
        assertEquals(new Answer.Negative(true, 30), lookups.resolve(nope, new Lookups.Trace()).get());
        clock.advance(Duration.ofSeconds(29));
        lookups.resolve(nope, new Lookups.Trace()).get();
        assertEquals(1, zone.count("nope.example.test", Type.A));
        assertEquals(1, lookups.stats().negativeHits());
        clock.advance(Duration.ofSeconds(1));
        lookups.resolve(nope, new Lookups.Trace()).get();
        assertEquals(2, zone.count("nope.example.test", Type.A));
    }

    @Test
    void failuresAreCountedAndNeverCached() {
        zone.rcode("h.example.test", Type.A, org.xbill.DNS.Rcode.SERVFAIL);
        for (int i = 0; i < 2; i++) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> lookups.resolve(h, new Lookups.Trace()).get());
            assertEquals(DnsLookupException.Reason.SERVER_FAILURE, ((DnsLookupException) e.getCause()).reason());
        }
        assertEquals(2, zone.count("h.example.test", Type.A));
        assertEquals(2, lookups.stats().failures());
        assertEquals(0, lookups.stats().cacheEntries());
    }

    @Test
    void cnamesTheServerDidNotFollowAreAskedAgain() throws Exception {
        // the zone answers alias → other only; "other" is asked for separately
        FakeZone split = new FakeZone() {
            @Override
            Message answer(Message query, Question q) {
                Message m = super.answer(query, q);
                if (q.name().equals(FakeZone.name("alias.example.test"))) {
                    m.removeAllRecords(org.xbill.DNS.Section.ANSWER);
                    m.getHeader().setRcode(org.xbill.DNS.Rcode.NOERROR);
                    m.addRecord(new org.xbill.DNS.CNAMERecord(q.name(), org.xbill.DNS.DClass.IN, 60,
                            FakeZone.name("other.example.test")), org.xbill.DNS.Section.ANSWER);
                }
                return m;
            }
        }.a("other.example.test", 60, "192.0.2.7");
        Lookups l = new Lookups(new RecordCache(100, Duration.ofHours(1), Duration.ofMinutes(5), clock), () -> split);
        Answer.Records r = (Answer.Records) l.resolve(new Question(FakeZone.name("alias.example.test"), Type.A),
                new Lookups.Trace()).get();
        assertEquals(FakeZone.name("other.example.test"), r.records().getFirst().getName());
        assertEquals(1, split.count("other.example.test", Type.A));
    }

    @Test
    void closeFailsFlightsAndLaterLookups() {
        zone.hold("h.example.test", Type.A);
        CompletableFuture<Answer> pending = lookups.resolve(h, new Lookups.Trace());
        lookups.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(1, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(0, lookups.stats().inFlight());
        assertThrows(ExecutionException.class, () -> lookups.resolve(h, new Lookups.Trace()).get(1, TimeUnit.SECONDS));
        assertSame(1, zone.asked.size());
    }
}
