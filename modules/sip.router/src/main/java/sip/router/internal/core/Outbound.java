package sip.router.internal.core;

import java.io.IOException;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.internal.transaction.TransactionLayer;

/**
 * Where the {@link ClientImpl} hands what it sends: the transaction layer, or a recording fake in
 * tests (the layer is a final class bound to real transports).
 */
public interface Outbound {

    /** Starts a client transaction; {@code explicit} may be null to locate the request. */
    ClientTransaction sendRequest(SipRequest request, Destination explicit);

    /** Sends a request or response without a transaction. */
    SipMessage sendStateless(SipMessage message) throws IOException;

    static Outbound of(TransactionLayer layer) {
        return new Outbound() {
            @Override
            public ClientTransaction sendRequest(SipRequest request, Destination explicit) {
                return layer.sendRequest(request, explicit);
            }

            @Override
            public SipMessage sendStateless(SipMessage message) throws IOException {
                return layer.sendStateless(message);
            }
        };
    }
}
