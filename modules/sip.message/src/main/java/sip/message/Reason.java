package sip.message;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One Reason value (RFC 3326).
 *
 * @param protocol {@code SIP}, {@code Q.850} or another token
 * @param parameters {@code cause}, {@code text}, ...
 */
public record Reason(String protocol, Parameters parameters) {
    public Reason {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(parameters, "parameters");
        sip.message.internal.Grammar.requireNoCrLf("Reason", protocol);
    }

    public OptionalInt cause() {
        String v = parameters.value("cause");
        long n = sip.message.internal.Numbers.parse(v, Integer.MAX_VALUE);
        return n < 0 ? OptionalInt.empty() : OptionalInt.of((int) n);
    }

    /** The text parameter, unquoted, or null. */
    public String text() {
        return parameters.value("text");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(protocol);
        parameters.appendTo(sb);
        return sb.toString();
    }
}
