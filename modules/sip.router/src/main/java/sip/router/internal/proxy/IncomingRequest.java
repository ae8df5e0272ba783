package sip.router.internal.proxy;

import java.util.Objects;
import sip.message.SipRequest;
import sip.router.ServerTransaction;
import sip.router.proxy.ProxyRequest;
import sip.transport.spi.Flow;

/**
 * A {@link ProxyRequest}: the route-processed request and the {@link Arrival} it belongs to
 * (shared by the copies {@link #withRequest} makes, so a request is relayed once).
 */
public final class IncomingRequest implements ProxyRequest {

    private final SipRequest request;
    final Arrival arrival;

    IncomingRequest(SipRequest request, Arrival arrival) {
        this.request = Objects.requireNonNull(request, "request");
        this.arrival = Objects.requireNonNull(arrival, "arrival");
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public ServerTransaction transaction() {
        return arrival.tx;
    }

    @Override
    public Flow flow() {
        return arrival.tx.flow();
    }

    @Override
    public ProxyRequest withRequest(SipRequest changed) {
        Objects.requireNonNull(changed, "changed");
        if (!changed.method().equals(request.method()) || !changed.callId().equals(request.callId())
                || !changed.cseq().equals(request.cseq()) || !Objects.equals(changed.fromTag(), request.fromTag())
                || !changed.topVia().equals(request.topVia())) {
            throw new IllegalArgumentException("not the same request: its method, Call-ID, CSeq, From tag and top"
                    + " Via must stay as received");
        }
        return new IncomingRequest(changed, arrival);
    }

    @Override
    public String toString() {
        return "ProxyRequest[" + request.method() + " " + request.requestUri() + " " + request.callId() + "]";
    }
}
