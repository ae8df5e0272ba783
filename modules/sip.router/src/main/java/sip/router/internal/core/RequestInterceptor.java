package sip.router.internal.core;

import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.transport.spi.Flow;

/**
 * Takes a {@link ServerImpl}'s traffic instead of its handlers: a stateful proxy (RFC 3261 §16),
 * which validates and routes requests its own way.
 */
public interface RequestInterceptor {

    /**
     * A new request, on the transport thread that received it: enough time to put the
     * transaction in forwarding mode before a CANCEL can find it; work belongs on another thread.
     */
    void onRequest(ServerTransaction transaction);

    /** An ACK no transaction absorbed; as {@link sip.router.internal.transaction.TransactionUser#onAck}. */
    void onAck(SipRequest ack, Flow flow);

    /** As {@link sip.router.internal.transaction.TransactionUser#onStrayResponse}. */
    void onStrayResponse(SipResponse response, Flow flow);
}
