package sip.transport.loopback;

/**
 * What the network does with one {@code mem} message, as a {@link Rule} decides it. Messages on
 * {@code mem-stream} always arrive, in order, once.
 */
public enum Fate {
    /** No opinion: the next rule decides, and after the last one the network's probabilities. */
    CHANCE,
    /** Delivered once. */
    DELIVER,
    /** Lost; counted in {@link NetworkStats#dropped()}. */
    DROP,
    /** Delivered twice, the copy right behind the original. */
    DUPLICATE,
    /**
     * Held back and delivered right after the next message on the same path (same sender and
     * receiver address), or when {@link LoopbackNetwork#releaseHeld()} is called. A path holds at
     * most one message: if one is held already, this message is delivered normally, ahead of it.
     */
    REORDER
}
