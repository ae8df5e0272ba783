package sip.message;

import java.util.Optional;

/**
 * What is wrong with a message, where, and what a UAS should answer.
 *
 * @param reason what is wrong, in words
 * @param status the status a UAS answers a request with (400, 413, 505, ...); responses that
 *     fail to parse are dropped, never answered
 * @param line the 1-based line of the message where the problem is; 0 when not tied to a line
 * @param offset the byte offset from the start of the message
 * @param headerName the header the problem is in, or null
 * @param rejected the compliance {@link Violation} the profile refused to tolerate, or null when
 *     the input is wrong whatever the profile
 */
public record ParseError(String reason, Status status, int line, int offset, HeaderName headerName,
                         Violation rejected) {
    public ParseError {
        java.util.Objects.requireNonNull(reason, "reason");
        java.util.Objects.requireNonNull(status, "status");
    }

    /** An error that no compliance profile could have tolerated. */
    public ParseError(String reason, Status status, int line, int offset, HeaderName headerName) {
        this(reason, status, line, offset, headerName, null);
    }

    /** The violation a stricter profile rejected, if that is what this error is. */
    public Optional<Violation> violation() {
        return Optional.ofNullable(rejected);
    }

    /** The header the problem is in, if it is in one. */
    public Optional<HeaderName> header() {
        return Optional.ofNullable(headerName);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(status.code()).append(' ').append(reason);
        if (headerName != null) {
            sb.append(" [").append(headerName.canonical()).append(']');
        }
        if (line > 0) {
            sb.append(" (line ").append(line).append(", offset ").append(offset).append(')');
        }
        return sb.toString();
    }
}
