package sip.router.internal.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Flow;

/** A server transaction that records what is sent on it. */
final class FakeServerTransaction implements ServerTransaction {
    private final SipRequest request;
    private final Flow flow = new Flow("udp", new java.net.InetSocketAddress("127.0.0.1", 5060),
            new java.net.InetSocketAddress("127.0.0.1", 5070));
    private final LinkedBlockingQueue<SipResponse> sent = new LinkedBlockingQueue<>();
    private final List<SipResponse> all = new CopyOnWriteArrayList<>();
    private volatile boolean answered;

    FakeServerTransaction(SipRequest request) {
        this.request = request;
    }

    /** The next response sent, waiting up to 5 s for it. */
    SipResponse next() throws InterruptedException {
        SipResponse r = sent.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no response within 5 s; sent so far: " + all);
        }
        return r;
    }

    List<SipResponse> sent() {
        return List.copyOf(all);
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public TransactionState state() {
        return answered ? TransactionState.COMPLETED : TransactionState.PROCEEDING;
    }

    @Override
    public void respond(int code) {
        respond(responseBuilder(code).build());
    }

    @Override
    public synchronized void respond(SipResponse response) {
        if (answered) {
            throw new IllegalStateException("already answered");
        }
        if (response.statusCode() >= 200) {
            answered = true;
        }
        all.add(response);
        sent.add(response);
    }

    @Override
    public SipResponse.Builder responseBuilder(int code) {
        SipResponse.Builder b = SipResponse.builder(request, code);
        return code == 100 || request.toTag() != null ? b : b.toTag("fake-to-tag");
    }

    @Override
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void onCancel(Consumer<SipRequest> action) {
    }
}
