package sip.script.internal.runtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.TransactionState;
import sip.router.proxy.Proxy;
import sip.router.proxy.ProxyRequest;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.transport.spi.Flow;

/** The real {@link RequestHost}: a request the runtime's {@link Proxy} handed over, answered in its server transaction. */
final class RouterRequestHost implements RequestHost {

    private final ProxyRequest request;
    private final Proxy proxy;

    RouterRequestHost(ProxyRequest request, Proxy proxy) {
        this.request = request;
        this.proxy = proxy;
    }

    @Override
    public SipRequest request() {
        return request.request();
    }

    @Override
    public Flow flow() {
        return request.flow();
    }

    @Override
    public boolean inDialog() {
        return request.inDialog();
    }

    @Override
    public SipResponse.Builder responseBuilder(int code) {
        return request.transaction().responseBuilder(code);
    }

    @Override
    public boolean respond(SipResponse response) {
        try {
            request.transaction().respond(response);
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    @Override
    public boolean transactionEnded() {
        TransactionState state = request.transaction().state();
        return state != TransactionState.TRYING && state != TransactionState.PROCEEDING;
    }

    @Override
    public CompletableFuture<RelayOutcome> relay(SipRequest edited, List<Target> targets, RelayOptions options) {
        ProxyRequest r = edited == request.request() ? request : request.withRequest(edited);
        return proxy.relay(r, targets, options);
    }
}
