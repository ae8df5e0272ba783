package sip.transport.loopback;

/**
 * A snapshot of a {@link LoopbackNetwork}'s message counts, both protocols together. A
 * {@link Fate#DUPLICATE} turns one sent message into two deliveries, so at any moment
 * {@code sent + duplicated == delivered + dropped + inFlight + held}.
 *
 * @param sent messages handed to the network by a {@code send}
 * @param delivered messages handed to a receiving transport
 * @param dropped messages lost: by chance or rule, sent to an address nobody listens on, arriving
 *     after their receiver closed, refused because the network was full, or still in flight or held
 *     when the network closed
 * @param duplicated extra copies made by {@link Fate#DUPLICATE}
 * @param reordered messages held back by {@link Fate#REORDER}
 * @param inFlight messages accepted and not yet delivered: waiting out a delay or in the delivery
 *     queue (held-back messages not included)
 * @param held messages held back now, waiting for the next message on their path
 */
public record NetworkStats(long sent, long delivered, long dropped, long duplicated, long reordered,
                           int inFlight, int held) {
}
