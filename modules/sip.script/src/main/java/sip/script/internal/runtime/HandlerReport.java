package sip.script.internal.runtime;

import java.util.Objects;
import java.util.Optional;
import sip.script.ScriptError;
import sip.script.ScriptVersion;

/**
 * What happened when {@link ScriptExecutor#handle} ran {@code onRequest} for one request:
 * complete once the handler returned and, for an async one, its Promise settled. A relay the
 * handler started may still be running then (its Promise resolves later).
 *
 * @param outcome how the handler ended
 * @param error the script error for {@link Outcome#ERROR}, {@link Outcome#TIMEOUT},
 *     {@link Outcome#STATEMENT_LIMIT} (and the location of {@code onRequest} for
 *     {@link Outcome#NO_DISPOSITION}); empty otherwise
 * @param version the version that ran it (or would have); null for a request refused because
 *     the executor was closed already
 */
public record HandlerReport(Outcome outcome, Optional<ScriptError> error, ScriptVersion version) {

    public HandlerReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(error, "error");
    }

    /** How a handler call ended, and what the executor sent because of it. */
    public enum Outcome {
        /** The script replied (final), relayed, saved a REGISTER or challenged. Nothing sent by the executor. */
        ANSWERED,
        /** The handler finished without answering: the executor sent {@code 500 Script Did Not Answer}. */
        NO_DISPOSITION,
        /** The handler threw (or its Promise rejected): the executor sent {@code 500} unless answered. */
        ERROR,
        /** The wall-clock deadline stopped it: {@code 500} unless answered; the context was replaced. */
        TIMEOUT,
        /** The statement limit stopped it: {@code 500} unless answered; the context was replaced. */
        STATEMENT_LIMIT,
        /**
         * The worker's queue was full, or the request waited in it longer than
         * {@link ExecutorSettings#maxQueueWait}: the executor sent {@code 503} with
         * {@code Retry-After}; the script did not run.
         */
        OVERLOADED,
        /**
         * The request's transaction ended while it waited in the queue
         * ({@link RequestHost#transactionEnded}): nothing sent, the script did not run.
         */
        ABANDONED,
        /** The executor was closed before the handler ran: the executor sent {@code 503}. */
        CLOSED
    }
}
