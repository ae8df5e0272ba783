package sip.router.proxy;

/**
 * A snapshot of a {@link Proxy}: live counts (each context and branch ends by a timer, so they
 * return to zero when traffic stops) and counters since the proxy was built.
 *
 * @param liveContexts relays whose final response is not sent yet or that still have branches
 *     without a final response
 * @param liveBranches branches without a final response
 * @param relayed relays started (requests relayed statefully: by {@link Proxy#relay} and inside
 *     dialogs)
 * @param succeeded relays whose first 2xx went upstream through the server transaction: one per
 *     relay however many 2xx a forked INVITE gets (the later ones are forwarded but not counted);
 *     counted as the 2xx is decided, so a caller may see the count before the 2xx, and taken back
 *     (counted in {@code failed} instead) when the transaction took no more responses
 * @param failed relays that ended with a final response other than 2xx (sent, or attempted
 *     when the transaction took no more), or with none at all
 * @param overloaded relays answered {@code 503} because {@link Proxy.Builder#maxContexts} live
 *     contexts were reached
 * @param rejected requests answered by validation (RFC 3261 §16.3): 400, 416, 420, 482, 483
 * @param loops requests answered {@code 482 Loop Detected} (also counted in {@code rejected})
 * @param statelessForwarded messages forwarded without a transaction: ACKs for 2xx, and 2xx
 *     responses matching no transaction any more (RFC 6026)
 * @param strayDropped messages matching no transaction that the proxy refused to forward: ACKs
 *     without a Route of this proxy carrying a valid dialog token (or with no hops left), and
 *     2xx responses whose Via branch this proxy did not make
 */
public record ProxyStats(
        int liveContexts,
        int liveBranches,
        long relayed,
        long succeeded,
        long failed,
        long overloaded,
        long rejected,
        long loops,
        long statelessForwarded,
        long strayDropped) {
}
