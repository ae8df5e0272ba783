package sip.script.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.script.ScriptError;

/**
 * What a script did with one request sent by {@link ScriptTester#send}: plain accessors, and
 * {@code assertXxx} methods that throw an {@link AssertionError} describing what the script did
 * instead (its reply or relay, its error, its log lines). Immutable.
 */
public final class Outcome {
    private final SipRequest request;
    private final List<SipResponse> responses;
    private final List<Relay> relays;
    private final List<LogLine> logs;
    private final Optional<ScriptError> error;
    private final List<SipResponse> challenges;

    Outcome(SipRequest request, List<SipResponse> responses, List<Relay> relays, List<LogLine> logs,
            Optional<ScriptError> error, List<SipResponse> challenges) {
        this.request = Objects.requireNonNull(request, "request");
        this.responses = List.copyOf(responses);
        this.relays = List.copyOf(relays);
        this.logs = List.copyOf(logs);
        this.error = Objects.requireNonNull(error, "error");
        this.challenges = List.copyOf(challenges);
    }

    /** The request the script got (the last one, when a challenge was answered with credentials). */
    public SipRequest request() {
        return request;
    }

    /**
     * The final response answered here without relaying: by {@code sip.reply}, the registrar,
     * {@code sip.auth.check}'s challenge, or the runtime's {@code 500} for a script that threw or
     * did not answer. Empty when the request was relayed (see {@link #relays()}).
     */
    public Optional<SipResponse> replied() {
        if (!relays.isEmpty()) {
            return Optional.empty();
        }
        return responses.stream().filter(r -> r.statusCode() >= 200).findFirst();
    }

    /** Every response sent upstream, in order: provisional replies, then the final one (local or forwarded). */
    public List<SipResponse> responses() {
        return responses;
    }

    /** The final response sent upstream, local or forwarded; empty when there was none. */
    public Optional<SipResponse> finalResponse() {
        return responses.stream().filter(r -> r.statusCode() >= 200).reduce((a, b) -> b);
    }

    /** The relays the script made: at most one per request (a second is a script error). */
    public List<Relay> relays() {
        return relays;
    }

    /** The log lines written while this request was handled (script and runtime). */
    public List<LogLine> logs() {
        return logs;
    }

    /** The script's error: an exception, a timeout, the statement limit, or where it failed to answer. */
    public Optional<ScriptError> error() {
        return error;
    }

    /**
     * The 401/407 challenges answered with the credentials of {@link ScriptTester#withCredentials}
     * before this outcome's request, in order; empty when none.
     */
    public List<SipResponse> challenges() {
        return challenges;
    }

    /**
     * Asserts that the request was answered here (not relayed) with a final {@code status}.
     *
     * @return this outcome
     */
    public Outcome assertReplied(int status) {
        Optional<SipResponse> r = replied();
        if (r.isEmpty() || r.get().statusCode() != status) {
            throw fail("expected a reply " + status);
        }
        return this;
    }

    /** As {@link #assertReplied(int)}, and the reason phrase is {@code reason}. */
    public Outcome assertReplied(int status, String reason) {
        assertReplied(status);
        String actual = replied().orElseThrow().status().reason();
        if (!actual.equals(reason)) {
            throw fail("expected a reply " + status + " " + reason);
        }
        return this;
    }

    /**
     * Asserts that the final response sent upstream (local or forwarded from a branch) has
     * {@code status}.
     */
    public Outcome assertFinal(int status) {
        if (finalResponse().map(SipResponse::statusCode).orElse(0) != status) {
            throw fail("expected a final response " + status + " upstream");
        }
        return this;
    }

    /** Asserts the request was relayed; chain the checks of the relay on the result. */
    public RelayAssert assertRelayed() {
        if (relays.isEmpty()) {
            throw fail("expected a relay");
        }
        return new RelayAssert(this, relays.getFirst());
    }

    /** Asserts that a log line, in its {@code LEVEL location: message} form, contains {@code text}. */
    public Outcome assertLogged(String text) {
        if (logs.stream().noneMatch(l -> l.toString().contains(text))) {
            throw fail("expected a log line containing \"" + text + "\"");
        }
        return this;
    }

    /** Asserts that the script raised no error and answered (by itself). */
    public Outcome assertNoError() {
        if (error.isPresent()) {
            throw fail("expected no script error");
        }
        return this;
    }

    /** Asserts a script error whose {@code file:line:column: message} form contains {@code text}. */
    public Outcome assertError(String text) {
        if (error.isEmpty() || !error.get().toString().contains(text)) {
            throw fail("expected a script error containing \"" + text + "\"");
        }
        return this;
    }

    /** An assertion failure naming what was expected, then what the script did. */
    AssertionError fail(String expected) {
        return new AssertionError(expected + ", but " + describe());
    }

    /**
     * What the script did, in words: its reply or relay, its error, and its log lines, one per
     * line. What every failed assertion ends with.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("for ").append(request.method()).append(' ').append(request.requestUri()).append(" the script ");
        if (!relays.isEmpty()) {
            s.append("relayed to ").append(relays.getFirst());
        } else {
            Optional<SipResponse> r = replied();
            if (r.isPresent()) {
                s.append("replied ").append(r.get().statusCode()).append(' ').append(r.get().status().reason());
            } else {
                s.append("sent no final response");
            }
        }
        if (!challenges.isEmpty()) {
            s.append(" (after answering ").append(challenges.size()).append(challenges.size() == 1 ? " challenge" : " challenges").append(')');
        }
        error.ifPresent(e -> s.append("\n  script error (").append(e.kind()).append("): ").append(e));
        if (logs.isEmpty()) {
            s.append("\n  and logged nothing");
        } else {
            s.append("\n  log:");
            for (LogLine l : logs) {
                s.append("\n    ").append(l);
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
