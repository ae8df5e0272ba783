package sip.router.internal.dialog;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Flow;

/**
 * A server transaction whose responses the dialog sees: {@code before} runs with each response
 * just before it is sent (so an ACK racing a 2xx finds the dialog ready for it), {@code failed}
 * when sending it threw. What a handler of an in-dialog re-INVITE or UPDATE answers through.
 */
final class ObservedTransaction implements ServerTransaction {

    private final ServerTransaction tx;
    private final Consumer<SipResponse> before;
    private final Consumer<SipResponse> failed;

    ObservedTransaction(ServerTransaction tx, Consumer<SipResponse> before, Consumer<SipResponse> failed) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.before = before;
        this.failed = failed;
    }

    @Override
    public void respond(int code) throws IOException {
        respond(tx.responseBuilder(code).build());
    }

    @Override
    public void respond(SipResponse response) throws IOException {
        before.accept(response);
        try {
            tx.respond(response);
        } catch (IOException | RuntimeException e) {
            failed.accept(response);
            throw e;
        }
    }

    @Override
    public SipResponse.Builder responseBuilder(int code) {
        return tx.responseBuilder(code);
    }

    @Override
    public SipRequest request() {
        return tx.request();
    }

    @Override
    public Flow flow() {
        return tx.flow();
    }

    @Override
    public TransactionState state() {
        return tx.state();
    }

    @Override
    public boolean isAnswered() {
        return tx.isAnswered();
    }

    @Override
    public boolean isCancelled() {
        return tx.isCancelled();
    }

    @Override
    public void onCancel(Consumer<SipRequest> action) {
        tx.onCancel(action);
    }

    @Override
    public String toString() {
        return tx.toString();
    }
}
