package sip.router.internal.dialog;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientDialog;
import sip.router.ClientTransaction;
import sip.router.Dialog;

/** The dialog of an INVITE sent. Skeleton. */
public final class ClientDialogImpl extends DialogImpl implements ClientDialog {

    @Override
    public SipRequest invite() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ClientTransaction transaction() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<SipResponse> answered() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ClientDialog onProvisional(Consumer<SipResponse> listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ClientDialog onFork(Consumer<Dialog> listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void cancel() {
        throw new UnsupportedOperationException("not yet");
    }
}
