package sip.router.internal.dialog;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;
import sip.router.ClientTransaction;
import sip.router.Dialog;
import sip.router.DialogEnd;
import sip.router.DialogId;
import sip.router.DialogState;
import sip.router.RequestHandler;

/** One dialog's state (RFC 3261 §12) and what both sides do in it. Skeleton. */
public sealed class DialogImpl implements Dialog permits ClientDialogImpl, ServerDialogImpl {

    @Override
    public DialogId id() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public DialogState state() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean isSecure() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Uri remoteTarget() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<NameAddress> routeSet() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public long localSequence() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public OptionalLong remoteSequence() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public SipRequest.Builder newRequest(Method method) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ClientTransaction request(SipRequest request) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<SipResponse> bye() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<SipResponse> reinvite(ContentType type, byte[] body) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Dialog onRequest(Method method, RequestHandler handler) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Dialog onStateChange(Consumer<DialogState> listener) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<DialogEnd> terminated() {
        throw new UnsupportedOperationException("not yet");
    }
}
