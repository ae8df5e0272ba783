package sip.router.internal.dialog;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import sip.message.ContentType;
import sip.message.SipRequest;
import sip.router.ServerDialog;
import sip.router.ServerTransaction;

/** The dialog of an INVITE received. Skeleton. */
public final class ServerDialogImpl extends DialogImpl implements ServerDialog {

    @Override
    public SipRequest invite() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ServerTransaction transaction() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void respond(int code) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void respond(int code, ContentType type, byte[] body) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<SipRequest> respondReliably(int code, ContentType type, byte[] body) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<SipRequest> acked() {
        throw new UnsupportedOperationException("not yet");
    }
}
