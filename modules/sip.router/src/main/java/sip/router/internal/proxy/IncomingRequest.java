package sip.router.internal.proxy;

import java.util.Objects;
import sip.message.SipRequest;
import sip.router.ServerTransaction;
import sip.router.proxy.ProxyRequest;
import sip.transport.spi.Flow;

/** A {@link ProxyRequest}: the route-processed request and its server transaction. */
public record IncomingRequest(SipRequest request, ServerTransaction transaction) implements ProxyRequest {

    public IncomingRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(transaction, "transaction");
    }

    @Override
    public Flow flow() {
        return transaction.flow();
    }

    @Override
    public ProxyRequest withRequest(SipRequest changed) {
        Objects.requireNonNull(changed, "changed");
        if (!changed.method().equals(request.method()) || !changed.callId().equals(request.callId())
                || !changed.cseq().equals(request.cseq()) || !Objects.equals(changed.fromTag(), request.fromTag())
                || !changed.topVia().equals(request.topVia())) {
            throw new IllegalArgumentException("not the same request: method, Call-ID, CSeq, From tag and top Via"
                    + " must stay as received");
        }
        return new IncomingRequest(changed, transaction);
    }
}
