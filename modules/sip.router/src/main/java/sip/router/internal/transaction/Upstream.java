package sip.router.internal.transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sip.message.SipResponse;
import sip.router.TransactionFailure;

/**
 * What a {@link sip.router.ClientTransaction} shows its user: the responses passed up (kept for
 * listeners that come late), the provisional ones, the future of the final one and why it failed
 * locally. One machine has one of its own; the attempts of a {@link LocatedTransaction} share one,
 * so the user sees their responses as one transaction's, in order.
 *
 * <p>Thread-safe: the attempts passing up may run on different threads one after the other.
 * Listeners and future dependants never run under its monitor (a {@link SerialRunner}, a virtual
 * thread).
 */
final class Upstream {

    private final CompletableFuture<SipResponse> future = new CompletableFuture<>();
    private final List<SipResponse> provisionals = new ArrayList<>(2);
    /**
     * Everything passed up, for listeners that come late; of the 2xx retransmissions an ACCEPTED
     * INVITE passes up, only the first per To tag ({@link #passOn}), so a peer repeating its 2xx
     * until Timer M cannot grow it.
     */
    private final List<SipResponse> passedUp = new ArrayList<>(2);
    private List<Consumer<SipResponse>> listeners;
    private SerialRunner runner;
    private volatile TransactionFailure failure;

    /**
     * Hands {@code response} to listeners (in order, on a virtual thread) and, when
     * {@code completes}, to the future, with {@code why} when it was synthesized locally.
     */
    synchronized void passUp(SipResponse response, boolean completes, TransactionFailure why) {
        if (completes) {
            failure = why; // before any listener can run: it may ask why
        }
        passedUp.add(response);
        if (response.statusCode() < 200) {
            provisionals.add(response);
        }
        passOn(response);
        if (completes) {
            // Dependants must never run on a transport or timer thread.
            Thread.startVirtualThread(() -> future.complete(response));
        }
    }

    /** Hands {@code response} to the listeners there are now, without keeping it for later ones. */
    synchronized void passOn(SipResponse response) {
        if (listeners != null) {
            for (Consumer<SipResponse> l : listeners) {
                runner.submit(() -> l.accept(response));
            }
        }
    }

    synchronized void listen(Consumer<SipResponse> listener) {
        if (listeners == null) {
            listeners = new ArrayList<>(1);
            runner = new SerialRunner();
        }
        listeners.add(listener);
        for (SipResponse r : passedUp) {
            runner.submit(() -> listener.accept(r));
        }
    }

    synchronized List<SipResponse> provisionals() {
        return List.copyOf(provisionals);
    }

    /** A copy, so a caller completing it cannot change the outcome. */
    CompletableFuture<SipResponse> response() {
        return future.copy();
    }

    TransactionFailure failure() {
        return failure;
    }
}
