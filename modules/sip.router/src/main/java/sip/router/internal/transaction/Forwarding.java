package sip.router.internal.transaction;

/**
 * What a stateful proxy (RFC 3261 §16, RFC 6026) needs of a server transaction beyond
 * {@link sip.router.ServerTransaction}: to forward responses it did not make. Every server
 * transaction of the layer implements it.
 */
public interface Forwarding {

    /**
     * Switches the transaction to forwarding, before any response of the user's: responses get
     * no To tag of the transaction's own (a forwarded one keeps the downstream UAS's; one without
     * a tag stays without); after the first 2xx of an INVITE, further 2xx (other forks, and
     * retransmissions the UAS sends through the proxy) are sent too; a 2xx is not retransmitted
     * by the transaction and waits for no ACK (the UAS retransmits it, the ACK passes by); a
     * CANCEL does not answer {@code 487}: it only runs the {@code onCancel} actions, and the
     * proxy answers once its branches did.
     */
    void forwardResponses();

    /**
     * The proxy took the request over: the handler timeout no longer applies, the proxy's own
     * timers (Timer C, the branches' transactions) bound the transaction instead.
     */
    void relayStarted();
}
