package sip.script.internal.runtime;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.slf4j.event.Level;
import sip.message.SipRequest;
import sip.script.ScriptError;
import sip.script.internal.js.JsExchange;
import sip.script.internal.js.JsRequest;
import sip.script.internal.runtime.HandlerReport.Outcome;

/**
 * Running {@code onRequest} for one request on its worker, and the executor's answer when the
 * handler ends without one: {@code 500 Script Did Not Answer}, {@code 500} after an exception or
 * a limit breach (the context replaced), {@code 503} when it could not run. Keeps the counters
 * of {@link sip.script.ScriptStats} about handlers.
 */
final class HandlerRuns {

    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong handled = new AtomicLong();
    final AtomicLong scriptErrors = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong noDisposition = new AtomicLong();
    private final ScriptExecutor executor;

    HandlerRuns(ScriptExecutor executor) {
        this.executor = executor;
    }

    RequestTask task(Exchange x) {
        return new RequestTask(x);
    }

    /** A queued request; {@link #reject()} answers it when the worker stopped before running it. */
    final class RequestTask implements Runnable {
        private final Exchange x;

        RequestTask(Exchange x) {
            this.x = x;
        }

        @Override
        public void run() {
            x.worker.queued.decrementAndGet();
            if (x.host.transactionEnded()) {
                // Its client gave up (a CANCEL, the user agent's handler timeout answered it):
                // running the script would only compute an answer nobody takes.
                complete(x, Outcome.ABANDONED, null);
                return;
            }
            ExecutorSettings settings = executor.settings();
            if (settings.ticker().getAsLong() - x.queuedAt > settings.maxQueueWait().toNanos()) {
                HandlerRuns.this.reject(x.host, 503);
                complete(x, Outcome.OVERLOADED, null);
                return;
            }
            HandlerRuns.this.run(x);
        }

        void reject() {
            x.worker.queued.decrementAndGet();
            HandlerRuns.this.reject(x.host, 503);
            complete(x, Outcome.CLOSED, null);
        }
    }

    private void run(Exchange x) {
        Worker w = x.worker;
        handled.incrementAndGet();
        SipRequest req = x.host.request();
        WorkerContext wc;
        try {
            wc = w.contextFor(x.version);
        } catch (PolyglotException e) {
            finish(x, ScriptErrors.of(e, x.version.source.directory(), x.version.source.name()));
            return;
        } catch (Exception e) {
            finish(x, new ScriptError(x.version.source.name(), 0, 0, "cannot start the script: " + e, ScriptError.Kind.IO));
            return;
        }
        x.context = wc;
        x.js = new JsExchange(x.host, new JsRequest(req, x.host.flow(), x.host.inDialog()), x.version.binding, x);
        boolean async;
        try {
            boolean first = !wc.handlerEntered;
            wc.handlerEntered = true;
            async = w.enter(wc, first, () -> wc.dispatch.execute(x.js, x.js.request()).asBoolean());
        } catch (PolyglotException e) {
            ScriptError err = ScriptErrors.of(e, x.version.source.directory(), x.version.source.name());
            if (e.isCancelled() || e.isResourceExhausted() || wc.dead()) {
                err = wc.dead() && err.kind() == ScriptError.Kind.RUNTIME ? timeout(err) : err;
                w.died(wc);
            }
            finish(x, err);
            w.checkPending(wc);
            return;
        } catch (RuntimeException | Error e) {
            // Not a script error (an OutOfMemoryError while the script allocated, a binding bug):
            // the context may be inconsistent, so it is replaced; the request still gets its 500.
            w.died(wc);
            finish(x, new ScriptError(x.version.source.name(), 0, 0, "internal error: " + e, ScriptError.Kind.RUNTIME));
            return;
        }
        if (async && !x.js.settled() && x.js.relayPending()) {
            wc.pending.add(x);
        } else {
            finishAsync(x);
        }
        w.checkPending(wc);
    }

    /** A handler is done (returned, or its Promise settled / can no longer settle). */
    void finishAsync(Exchange x) {
        Value rejection = x.js.rejection();
        if (rejection != null) {
            finish(x, errorOf(rejection, x));
        } else if (x.js.disposed()) {
            complete(x, Outcome.ANSWERED, null);
        } else {
            finish(x, null);
        }
    }

    /** The context of a pending async handler died (a hook or a continuation hit a limit). */
    void finishDied(Exchange x) {
        finish(x, new ScriptError(x.version.source.name(), 0, 0, "handler deadline exceeded", ScriptError.Kind.TIMEOUT));
    }

    /** A pending async handler at close: answered if it relayed, else 500. */
    void finishPendingAtClose(Exchange x) {
        if (x.js.disposed()) {
            complete(x, Outcome.ANSWERED, null);
        } else {
            finish(x, null);
        }
    }

    /** Ends a handler that failed ({@code error}) or did not answer ({@code null}): log, 500 unless answered. */
    private void finish(Exchange x, ScriptError error) {
        SipRequest req = x.host.request();
        String what = req.method() + " Call-ID " + req.callId();
        Outcome outcome;
        if (error == null) {
            outcome = Outcome.NO_DISPOSITION;
            noDisposition.incrementAndGet();
            executor.host().log(Level.WARN, x.version.onRequestAt,
                    "onRequest returned without replying, relaying, saving or challenging: " + what + " answered 500");
            answer(x, 500, "Script Did Not Answer");
        } else {
            outcome = switch (error.kind()) {
                case TIMEOUT -> Outcome.TIMEOUT;
                case STATEMENT_LIMIT -> Outcome.STATEMENT_LIMIT;
                default -> Outcome.ERROR;
            };
            if (outcome == Outcome.ERROR) {
                scriptErrors.incrementAndGet();
            } else {
                timeouts.incrementAndGet();
            }
            boolean sent = answer(x, 500, null);
            // A cancelled call has no guest stack: name the handler that ran.
            String at = error.line() > 0 ? error.file() + ":" + error.line() + ":" + error.column()
                    : x.version.onRequestAt + " (onRequest)";
            executor.host().log(Level.ERROR, at,
                    error.message() + " (" + what + (sent ? ", answered 500)" : ")"));
        }
        complete(x, outcome, error);
    }

    private boolean answer(Exchange x, int status, String reason) {
        try {
            return x.js != null ? x.js.answer(status, reason) : x.host.respond(withReason(x.host, status, reason));
        } catch (RuntimeException e) {
            executor.host().log(Level.ERROR, x.version.source.name(), "cannot answer " + status + ": " + e);
            return false;
        }
    }

    private void complete(Exchange x, Outcome outcome, ScriptError error) {
        if (x.finished) {
            return;
        }
        x.finished = true;
        inFlight.decrementAndGet();
        x.release();
        x.report.complete(new HandlerReport(outcome, Optional.ofNullable(error), x.version.version));
    }

    private ScriptError errorOf(Value rejection, Exchange x) {
        try {
            rejection.throwException();
        } catch (PolyglotException e) {
            return ScriptErrors.of(e, x.version.source.directory(), x.version.source.name());
        } catch (RuntimeException e) {
            // not an exception object: a thrown string or number
        }
        return new ScriptError(x.version.source.name(), 0, 0, "Promise rejected: " + rejection, ScriptError.Kind.RUNTIME);
    }

    private static ScriptError timeout(ScriptError err) {
        return new ScriptError(err.file(), err.line(), err.column(), "handler deadline exceeded", ScriptError.Kind.TIMEOUT);
    }

    void reject(RequestHost request, int status) {
        try {
            request.respond(withReason(request, status, null));
        } catch (RuntimeException e) {
            executor.host().log(Level.ERROR, executor.scriptName(), "cannot answer " + status + ": " + e);
        }
    }

    private static sip.message.SipResponse withReason(RequestHost request, int status, String reason) {
        var b = request.responseBuilder(status);
        if (reason != null) {
            b.status(sip.message.Status.of(status, reason));
        }
        if (status == 503) {
            b.setHeader("Retry-After", "1");
        }
        return b.build();
    }
}
