package sip.router.internal.transport;

import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;

/**
 * Where the {@link TransportLayer} hands what it received; implemented by the transaction layer.
 * Called on transport threads (a stream connection's reader, a UDP worker): must not block.
 */
public interface InboundSink {

    /**
     * A well-formed request (FULL validation passed). The top Via already carries
     * {@code received} and {@code rport} as RFC 3261 §18.2.1 and RFC 3581 say.
     */
    void onRequest(SipRequest request, Connection connection);

    /**
     * A well-formed response whose top Via sent-by matches this user agent (§18.1.2; others were
     * dropped and counted).
     */
    void onResponse(SipResponse response, Connection connection);

    /**
     * A reliable connection closed or failed: client transactions whose request went out on it
     * and have no final response end with a transport error (§17.1.4), and the layer above is
     * told ({@link sip.router.Server#onFlowClosed}).
     */
    void onFlowClosed(Flow flow);
}
