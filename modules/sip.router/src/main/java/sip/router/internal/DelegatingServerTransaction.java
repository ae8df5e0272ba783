package sip.router.internal;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Flow;

/**
 * A server transaction that passes everything to the layer's own; a subclass changes only how
 * responses go out (a Contact added, the dialog told first), so every other method stays in one
 * place.
 */
public abstract class DelegatingServerTransaction implements ServerTransaction {

    /** The transaction layer's transaction this one stands in front of. */
    protected final ServerTransaction tx;

    protected DelegatingServerTransaction(ServerTransaction tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    @Override
    public void respond(int code) throws IOException {
        respond(tx.responseBuilder(code).build());
    }

    @Override
    public void respond(SipResponse response) throws IOException {
        tx.respond(response);
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
    public SipResponse.Builder responseBuilder(int code) {
        return tx.responseBuilder(code);
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
