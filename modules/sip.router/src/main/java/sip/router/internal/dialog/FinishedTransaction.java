package sip.router.internal.dialog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.ClientTransaction;
import sip.router.TransactionFailure;
import sip.router.TransactionState;
import sip.transport.spi.Flow;

/**
 * What a {@link ClientDialogImpl} keeps of its INVITE transaction once the final response
 * arrived, so that a call lasting hours does not hold the transaction machine (its listeners,
 * provisional responses and timers) after the transaction layer let go of it: the request as
 * last sent, its flow, the final response and the failure, if any.
 */
record FinishedTransaction(SipRequest request, Optional<Flow> flow, SipResponse finalResponse,
                           Optional<TransactionFailure> failure) implements ClientTransaction {

    FinishedTransaction {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(finalResponse, "finalResponse");
        Objects.requireNonNull(failure, "failure");
    }

    /** The view of {@code tx}, answered with {@code response}. */
    static FinishedTransaction of(ClientTransaction tx, SipResponse response) {
        return new FinishedTransaction(tx.request(), tx.flow(), response, tx.failure());
    }

    /** Over, as far as the dialog is concerned (further 2xx responses are the dialog's). */
    @Override
    public TransactionState state() {
        return TransactionState.TERMINATED;
    }

    @Override
    public CompletableFuture<SipResponse> response() {
        return CompletableFuture.completedFuture(finalResponse);
    }

    /** Let go with the transaction, as {@link ClientDialogImpl#onProvisional} lets go of its replay. */
    @Override
    public List<SipResponse> provisionalResponses() {
        return List.of();
    }

    /** Replays the final response, on a virtual thread; nothing further comes. */
    @Override
    public void onResponse(Consumer<SipResponse> listener) {
        Objects.requireNonNull(listener, "listener");
        Thread.startVirtualThread(() -> listener.accept(finalResponse));
    }

    /** A final response arrived: nothing to cancel (§9.1). */
    @Override
    public void cancel() {
    }
}
