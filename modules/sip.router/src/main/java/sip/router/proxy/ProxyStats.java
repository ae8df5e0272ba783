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
 * @param succeeded relays that forwarded a 2xx
 * @param failed relays that ended with a final response other than 2xx, or none
 * @param overloaded relays answered {@code 503} because {@link Proxy.Builder#maxContexts} live
 *     contexts were reached
 * @param rejected requests answered by validation (RFC 3261 §16.3): 400, 416, 420, 482, 483
 * @param loops requests answered {@code 482 Loop Detected} (also counted in {@code rejected})
 * @param statelessForwarded messages forwarded without a transaction: ACKs for 2xx, and 2xx
 *     responses matching no transaction any more (RFC 6026)
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
        long statelessForwarded) {
}
