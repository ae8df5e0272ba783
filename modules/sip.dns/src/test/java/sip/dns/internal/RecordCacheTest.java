package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class RecordCacheTest {
    private final FakeClock clock = new FakeClock();

    private static Question q(String name) {
        return new Question(FakeZone.name(name), Type.A);
    }

    private static Answer.Records records(long ttl) {
        Record a = new ARecord(FakeZone.name("h.example.test"), DClass.IN, ttl, InetAddress.ofLiteral("192.0.2.1"));
        return new Answer.Records(List.of(a), List.of(a), ttl);
    }

    private RecordCache cache(int max) {
        return new RecordCache(max, Duration.ofHours(1), Duration.ofMinutes(5), clock);
    }

    @Test
    void positiveAnswersLiveForTheirTtl() {
        RecordCache cache = cache(10);
        cache.put(q("h.example.test"), records(60));
        clock.advance(Duration.ofSeconds(59));
        assertNotNull(cache.get(q("H.Example.Test")));   // names compare case-insensitively
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.get(q("h.example.test")));
        assertEquals(0, cache.size());                  // the expired entry was dropped
    }

    @Test
    void ttlsAreCutToTheMaximum() {
        RecordCache cache = cache(10);
        cache.put(q("long.example.test"), records(86_400));
        cache.put(q("neg.example.test"), new Answer.Negative(true, 3600));
        clock.advance(Duration.ofMinutes(5));
        assertNull(cache.get(q("neg.example.test")));   // maxNegativeTtl 5 min
        assertNotNull(cache.get(q("long.example.test")));
        clock.advance(Duration.ofMinutes(55));
        assertNull(cache.get(q("long.example.test")));  // maxTtl 1 h
    }

    @Test
    void negativeAnswersLiveForTheSoaTtlAndNotAtAllWithoutOne() {
        RecordCache cache = cache(10);
        cache.put(q("nx.example.test"), new Answer.Negative(true, 30));
        cache.put(q("nosoa.example.test"), new Answer.Negative(true, 0));
        assertEquals(new Answer.Negative(true, 30), cache.get(q("nx.example.test")));
        assertNull(cache.get(q("nosoa.example.test")));
        clock.advance(Duration.ofSeconds(30));
        assertNull(cache.get(q("nx.example.test")));
    }

    @Test
    void ttlZeroIsNotCachedNorIsAnythingInACacheOfSizeZero() {
        RecordCache cache = cache(10);
        cache.put(q("zero.example.test"), records(0));
        assertNull(cache.get(q("zero.example.test")));
        RecordCache none = cache(0);
        none.put(q("h.example.test"), records(60));
        assertNull(none.get(q("h.example.test")));
    }

    @Test
    void additionalRecordsAreNeverCached() {
        RecordCache cache = cache(10);
        cache.put(q("h.example.test"), records(60));
        Answer.Records kept = (Answer.Records) cache.get(q("h.example.test"));
        assertEquals(1, kept.records().size());
        assertTrue(kept.additional().isEmpty());
    }

    @Test
    void aFullCacheDropsExpiredEntriesFirstThenTheOldest() {
        RecordCache cache = cache(3);
        cache.put(q("short.example.test"), records(10));
        cache.put(q("old.example.test"), records(600));
        cache.put(q("mid.example.test"), records(600));
        clock.advance(Duration.ofSeconds(10));
        cache.put(q("new1.example.test"), records(600));   // evicts the expired one, not the oldest
        assertNotNull(cache.get(q("old.example.test")));
        assertEquals(3, cache.size());
        cache.put(q("new2.example.test"), records(600));   // nothing expired: the oldest goes
        assertNull(cache.get(q("old.example.test")));
        assertNotNull(cache.get(q("mid.example.test")));
        assertNotNull(cache.get(q("new1.example.test")));
        assertNotNull(cache.get(q("new2.example.test")));
        assertEquals(3, cache.size());
    }

    @Test
    void clearForgetsEverything() {
        RecordCache cache = cache(10);
        cache.put(q("h.example.test"), records(60));
        cache.clear();
        assertNull(cache.get(q("h.example.test")));
        assertEquals(0, cache.size());
    }
}
