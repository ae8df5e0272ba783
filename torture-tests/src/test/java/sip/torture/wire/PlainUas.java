package sip.torture.wire;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import sip.message.SipRequest;
import sip.message.StandardHeader;
import sip.router.ServerTransaction;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.transport.spi.Listener;

/**
 * The server under test: a {@link UserAgent} listening on UDP and TCP at 127.0.0.1 with the
 * handlers of a plain UAS, recording what each handler was given. INVITE gets 200 with a
 * Contact; REGISTER gets 200 echoing its Contacts, or a Digest challenge when it carries an
 * Authorization of a scheme this server cannot check; every other method, OPTIONS included, gets
 * 200 from the default handler (with a default handler the stack's own OPTIONS answer never
 * runs: OPTIONS has no handler of its own, so the default one takes it). Small timers (T1 50 ms, so 64×T1 = 3.2 s)
 * let every transaction end within seconds.
 */
final class PlainUas implements AutoCloseable {
    static final SipTimers TIMERS = new SipTimers(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(250));

    /** Which handler got a request; NONE when the stack answered it alone. */
    enum Handler { NONE, INVITE, REGISTER, DEFAULT }

    record Seen(Handler handler, SipRequest request) {}

    final UserAgent ua;
    final InetSocketAddress udp;
    final InetSocketAddress tcp;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<SipRequest>> acks = new ConcurrentHashMap<>();

    PlainUas() throws IOException {
        ua = UserAgent.newBuilder().name("parley-wire-uas").timers(TIMERS).closeTimeout(Duration.ofSeconds(2)).build();
        ua.server()
                .accept("application/sdp", "multipart/mixed")
                .onInvite(tx -> {
                    seen.add(new Seen(Handler.INVITE, tx.request()));
                    tx.respond(tx.responseBuilder(200).addHeader(StandardHeader.CONTACT, contact(tx)).build());
                })
                .onRegister(this::register)
                .onDefault(tx -> {
                    seen.add(new Seen(Handler.DEFAULT, tx.request()));
                    tx.respond(200);
                })
                .onAck((ack, flow) -> acks.computeIfAbsent(ack.callId(), k -> new CompletableFuture<>()).complete(ack));
        Listener u = ua.listen("udp", "127.0.0.1:0");
        Listener t = ua.listen("tcp", "127.0.0.1:0");
        udp = u.localAddress();
        tcp = t.localAddress();
    }

    private void register(ServerTransaction tx) throws IOException {
        SipRequest r = tx.request();
        seen.add(new Seen(Handler.REGISTER, r));
        // A plain registrar cannot verify a scheme it does not know: it challenges (RFC 3261
        // §22.1; RFC 4475 §3.3.7), it never lets such a request through.
        boolean unknownScheme = r.headerValues(StandardHeader.AUTHORIZATION).stream()
                .anyMatch(a -> !a.strip().toLowerCase(Locale.ROOT).startsWith("digest"));
        if (unknownScheme) {
            tx.respond(tx.responseBuilder(401)
                    .addHeader(StandardHeader.WWW_AUTHENTICATE, "Digest realm=\"wire.test\", nonce=\"" + Long.toHexString(System.nanoTime())
                            + "\", algorithm=MD5, qop=\"auth\"")
                    .build());
            return;
        }
        var ok = tx.responseBuilder(200);
        r.contacts().forEach(ok::contact);
        tx.respond(ok.build());
    }

    private static String contact(ServerTransaction tx) {
        InetSocketAddress local = tx.flow().local();
        String transport = tx.flow().protocol().equalsIgnoreCase("udp") ? "" : ";transport=" + tx.flow().protocol();
        return "<sip:wire-uas@" + local.getAddress().getHostAddress() + ":" + local.getPort() + transport + ">";
    }

    /** How many requests handlers have seen so far: a mark for {@link #seenSince}. */
    int seenCount() {
        return seen.size();
    }

    List<Seen> seenSince(int mark) {
        return List.copyOf(seen.subList(mark, seen.size()));
    }

    /** Completes when an ACK with {@code callId} reaches the ACK handler. */
    CompletableFuture<SipRequest> ack(String callId) {
        return acks.computeIfAbsent(callId, k -> new CompletableFuture<>());
    }

    TransactionStats stats() {
        return ua.stats();
    }

    /**
     * Waits until the stats satisfy {@code condition}. The stats tell no one when they change,
     * so this polls (every 10 ms, within {@code max}); it fails with the last snapshot.
     */
    TransactionStats awaitStats(Predicate<TransactionStats> condition, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            TransactionStats s = ua.stats();
            if (condition.test(s)) {
                return s;
            }
            if (System.nanoTime() - deadline > 0) {
                return fail(what + " not reached within " + max.toMillis() + " ms: " + s);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public void close() {
        ua.close();
    }
}
