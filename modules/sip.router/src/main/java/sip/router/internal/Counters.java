package sip.router.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link sip.router.TransactionStats}, written by the transport and
 * transaction layers and the server core (ACKs dropped). Live counts are kept by the transaction tables themselves.
 */
public final class Counters {
    public final LongAdder clientCreated = new LongAdder();
    public final LongAdder serverCreated = new LongAdder();
    public final LongAdder retransmissionsSent = new LongAdder();
    public final LongAdder retransmissionsAbsorbed = new LongAdder();
    public final LongAdder timeouts = new LongAdder();
    public final LongAdder transportErrors = new LongAdder();
    public final LongAdder overloadRejected = new LongAdder();
    public final LongAdder strayResponses = new LongAdder();
    public final LongAdder malformedDropped = new LongAdder();
    public final LongAdder statelessResponses = new LongAdder();
    public final LongAdder acksDropped = new LongAdder();
    public final LongAdder failovers = new LongAdder();

    public sip.router.TransactionStats snapshot(int liveClient, int liveServer, int blockedDestinations) {
        return new sip.router.TransactionStats(liveClient, liveServer, clientCreated.sum(),
                serverCreated.sum(), retransmissionsSent.sum(), retransmissionsAbsorbed.sum(),
                timeouts.sum(), transportErrors.sum(), overloadRejected.sum(), strayResponses.sum(),
                malformedDropped.sum(), statelessResponses.sum(), acksDropped.sum(),
                failovers.sum(), blockedDestinations);
    }
}
