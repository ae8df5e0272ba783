package sip.router.internal.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import sip.router.proxy.ProxyStats;

/** The live counts and counters behind {@link ProxyStats}. */
final class ProxyCounters {

    final AtomicInteger liveContexts = new AtomicInteger();
    final AtomicInteger liveBranches = new AtomicInteger();
    final LongAdder relayed = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder overloaded = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder loops = new LongAdder();
    final LongAdder statelessForwarded = new LongAdder();

    ProxyStats snapshot() {
        return new ProxyStats(liveContexts.get(), liveBranches.get(), relayed.sum(), succeeded.sum(), failed.sum(),
                overloaded.sum(), rejected.sum(), loops.sum(), statelessForwarded.sum());
    }
}
