package sip.message;

import java.util.Objects;

/**
 * The Retry-After value (RFC 3261 §20.33).
 *
 * @param seconds delta-seconds, 0 to 2<sup>32</sup>-1
 * @param comment the comment without parentheses, or null
 * @param parameters the parameters ({@code duration}, ...)
 */
public record RetryAfter(long seconds, String comment, Parameters parameters) {
    public RetryAfter {
        Objects.requireNonNull(parameters, "parameters");
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Retry-After must be 0..4294967295: " + seconds);
        }
        if (comment != null) {
            sip.message.internal.Grammar.requireNoCrLf("comment", comment);
        }
    }

    public static RetryAfter of(long seconds) {
        return new RetryAfter(seconds, null, Parameters.EMPTY);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(seconds);
        if (comment != null) {
            sb.append(" (").append(comment).append(')');
        }
        parameters.appendTo(sb);
        return sb.toString();
    }
}
