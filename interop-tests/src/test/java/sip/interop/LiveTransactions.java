package sip.interop;

import java.time.Duration;
import sip.router.TransactionStats;
import sip.router.UserAgent;

/**
 * Waits for a user agent's live transactions to end. Every transaction ends by a timer and the
 * user agent tells no one when, so this polls {@link UserAgent#stats()}, bounded by a deadline
 * well past the longest timer the tests use (64×T1: 3.2 s with T1 50 ms, 16 s with 250 ms).
 */
final class LiveTransactions {

    static final Duration WITHIN = Duration.ofSeconds(30);
    private static final long POLL_MS = 20;

    private LiveTransactions() {
    }

    /** The stats once no transaction is live, or as they are at the deadline (the caller asserts). */
    static TransactionStats awaitZero(UserAgent ua) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        TransactionStats stats = ua.stats();
        while (stats.liveTransactions() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MS);
            stats = ua.stats();
        }
        return stats;
    }
}
