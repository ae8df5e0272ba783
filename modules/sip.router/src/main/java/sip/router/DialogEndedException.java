package sip.router;

import java.util.Objects;

/**
 * Completes a dialog's pending futures ({@link ServerDialog#acked()}, the PRACK future of
 * {@link ServerDialog#respondReliably}) exceptionally when the dialog ended before what they
 * wait for arrived: a handler blocked on {@code acked().join()} gets this (wrapped in a
 * {@link java.util.concurrent.CompletionException}) rather than waiting forever.
 */
public final class DialogEndedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient DialogEnd end;

    public DialogEndedException(DialogEnd end, String message) {
        super(message);
        this.end = Objects.requireNonNull(end, "end");
    }

    /** How and why the dialog ended. */
    public DialogEnd end() {
        return end;
    }
}
