package sip.router.internal.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;

/** An {@link InboundSink} that keeps what it is given, for tests to assert on or wait for. */
final class RecordingSink implements InboundSink {

    record Received<M>(M message, Connection connection) {
    }

    final LinkedBlockingQueue<Received<SipRequest>> requests = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Received<SipResponse>> responses = new LinkedBlockingQueue<>();
    final List<Flow> closedFlows = new CopyOnWriteArrayList<>();

    @Override
    public void onRequest(SipRequest request, Connection connection) {
        requests.add(new Received<>(request, connection));
    }

    @Override
    public void onResponse(SipResponse response, Connection connection) {
        responses.add(new Received<>(response, connection));
    }

    @Override
    public void onFlowClosed(Flow flow) {
        closedFlows.add(flow);
    }

    /** The next request, waiting up to 5 s for one to arrive over a real socket. */
    Received<SipRequest> nextRequest() throws InterruptedException {
        Received<SipRequest> r = requests.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived within 5 s");
        }
        return r;
    }

    Received<SipResponse> nextResponse() throws InterruptedException {
        Received<SipResponse> r = responses.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no response arrived within 5 s");
        }
        return r;
    }
}
