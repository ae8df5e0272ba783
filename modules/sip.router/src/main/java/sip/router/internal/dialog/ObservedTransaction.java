package sip.router.internal.dialog;

import java.io.IOException;
import java.util.function.Consumer;
import sip.message.SipResponse;
import sip.router.ServerTransaction;
import sip.router.internal.DelegatingServerTransaction;

/**
 * A server transaction whose responses the dialog sees: {@code before} runs with each response
 * just before it is sent (so an ACK racing a 2xx finds the dialog ready for it), {@code failed}
 * when sending it threw. What a handler of an in-dialog re-INVITE or UPDATE answers through.
 */
final class ObservedTransaction extends DelegatingServerTransaction {

    private final Consumer<SipResponse> before;
    private final Consumer<SipResponse> failed;

    ObservedTransaction(ServerTransaction tx, Consumer<SipResponse> before, Consumer<SipResponse> failed) {
        super(tx);
        this.before = before;
        this.failed = failed;
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
}
