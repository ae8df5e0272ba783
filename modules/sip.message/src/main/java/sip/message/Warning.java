package sip.message;

import java.util.Objects;

/**
 * One Warning value (RFC 3261 §20.43).
 *
 * @param code the three-digit warn-code
 * @param agent the warn-agent (host[:port] or pseudonym)
 * @param text the warn-text, unquoted
 */
public record Warning(int code, String agent, String text) {
    public Warning {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(text, "text");
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("warn-code must be three digits: " + code);
        }
        sip.message.internal.Grammar.requireNoCrLf("warn-agent", agent);
        sip.message.internal.Grammar.requireNoCrLf("warn-text", text);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(code).append(' ').append(agent).append(' ');
        sip.message.internal.HeaderQuoting.appendQuoted(sb, text);
        return sb.toString();
    }
}
