package sip.router;

/**
 * A snapshot of a user agent's transaction layer: live counts (each transaction ends by a timer,
 * so they return to zero when traffic stops) and counters since the user agent started.
 *
 * @param clientTransactions live client transactions
 * @param serverTransactions live server transactions
 * @param clientCreated client transactions started
 * @param serverCreated server transactions started
 * @param retransmissionsSent requests and responses sent again: by Timers A, E and G, a 2xx
 *     resent until its ACK, the last response repeated for a retransmitted request, and an ACK
 *     resent for a retransmitted 2xx (see {@link Client#ack})
 * @param retransmissionsAbsorbed retransmitted requests absorbed by an existing server
 *     transaction (answered with its last response, if any)
 * @param timeouts client transactions ended by Timer B or F, or a ringing INVITE ended by
 *     Timer C ({@link UserAgent.Builder#inviteHandlerTimeout} + 64×T1)
 * @param transportErrors sends that failed (unreachable, refused, closed, unresolvable); never
 *     fatal
 * @param overloadRejected requests answered {@code 503} because the server-transaction cap was
 *     reached
 * @param strayResponses responses matching no client transaction (dropped, or passed to the
 *     application when they are 2xx retransmissions)
 * @param malformedDropped messages that could not be answered (malformed responses, requests too
 *     broken to build a response for)
 * @param statelessResponses responses sent without a transaction (400/505 to malformed requests,
 *     503 for overload, 481 to an unmatched CANCEL)
 * @param acksDropped ACKs not given to the {@link AckHandler} because as many ACK handler calls
 *     as {@link UserAgent.Builder#maxServerTransactions} were already running (each is logged at
 *     DEBUG)
 * @param failovers attempts moved on to the next located destination (RFC 3263 §4.3) after a
 *     transport error, Timer B or F, or a {@code 503} without {@code Retry-After}; each is a
 *     client transaction of its own, counted in {@code clientCreated} too
 * @param blockedDestinations destinations blocked now ({@link UserAgent.Builder#destinationBlockTime}):
 *     tried last by located requests until the block ends
 */
public record TransactionStats(
        int clientTransactions,
        int serverTransactions,
        long clientCreated,
        long serverCreated,
        long retransmissionsSent,
        long retransmissionsAbsorbed,
        long timeouts,
        long transportErrors,
        long overloadRejected,
        long strayResponses,
        long malformedDropped,
        long statelessResponses,
        long acksDropped,
        long failovers,
        int blockedDestinations) {

    /** Live client plus server transactions. */
    public int liveTransactions() {
        return clientTransactions + serverTransactions;
    }
}
