package sip.router.internal.transaction;

import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.transport.spi.Flow;

/**
 * The transaction user (RFC 3261 §17): what sits above the transaction layer, here the
 * {@link sip.router.Server}. Called on transport threads: implementations hand work to a virtual
 * thread and return at once.
 */
public interface TransactionUser {

    /**
     * A new server transaction for a request that is neither ACK nor CANCEL (those the
     * transaction layer handles: ACK absorbed or passed to {@link #onAck}; CANCEL answered per
     * §9.2). The user must eventually answer it; the transaction answers by itself on handler
     * timeout.
     */
    void onRequest(ServerTransaction transaction);

    /** An ACK no server transaction absorbed: the ACK for a 2xx, or a stray one. */
    void onAck(SipRequest ack, Flow flow);

    /**
     * A response whose top Via is ours but that matches no client transaction (a 2xx
     * retransmitted after its INVITE transaction ended, RFC 6026): a proxy forwards a 2xx to
     * INVITE statelessly. Dropped by default (it is counted as stray either way).
     */
    default void onStrayResponse(SipResponse response, Flow flow) {
    }

    /**
     * The connection of {@code flow} closed; its client transactions were failed already. Called
     * on a transport thread. Ignored by default.
     */
    default void onFlowClosed(Flow flow) {
    }
}
