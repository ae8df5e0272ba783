package sip.message.internal;

import java.util.EnumSet;
import java.util.Set;
import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.Violation;

/**
 * The compliance profile in force while parsing one message (or one value), plus the violations
 * tolerated so far. Not thread-safe: a message's lazy parses synchronise on it.
 */
public final class ParseContext {
    /** Lenient, listening to nobody: for values given through the API. */
    public static ParseContext lenient() {
        return new ParseContext(Compliance.LENIENT, ComplianceListener.NONE);
    }

    private final Compliance compliance;
    private final ComplianceListener listener;
    private Set<Violation> seen;

    public ParseContext(Compliance compliance, ComplianceListener listener) {
        this.compliance = compliance;
        this.listener = listener;
    }

    public Compliance compliance() {
        return compliance;
    }

    /**
     * Tolerates {@code v} if the profile allows it (recording it and telling the listener), else
     * fails the parse with a 400 naming the violation.
     *
     * @param detail where, shown to the listener and in the error
     * @param position byte position for the error
     */
    public void tolerate(Violation v, String detail, int position) {
        if (!tryTolerate(v, detail)) {
            throw new ParseFailure(rejection(v, detail), position).rejecting(v);
        }
    }

    /** The reason text of a rejected violation. */
    public static String rejection(Violation v, String detail) {
        return v.description() + " (" + v.rule() + "): " + detail;
    }

    /**
     * Records and reports {@code v} and returns true when the profile allows it; returns false
     * (and records nothing) when it does not. For code that reports errors as values.
     */
    public boolean tryTolerate(Violation v, String detail) {
        if (!compliance.allows(v)) {
            return false;
        }
        synchronized (this) {
            if (seen == null) {
                seen = EnumSet.noneOf(Violation.class);
            }
            seen.add(v);
        }
        listener.onViolation(v, detail);
        return true;
    }

    /** True when {@code v} was tolerated in this message. */
    public synchronized boolean saw(Violation v) {
        return seen != null && seen.contains(v);
    }

    /** The violations tolerated so far (a copy). */
    public synchronized Set<Violation> violations() {
        return seen == null ? Set.of() : EnumSet.copyOf(seen);
    }
}
