package sip.message;

import java.util.Objects;

/**
 * A {@code tel:} URI (RFC 3966).
 *
 * @param number the telephone-subscriber number as written, visual separators included
 *     ({@code "+1-201-555-0123"}), unescaped
 * @param parameters the parameters ({@code ;phone-context=...;ext=...}), unescaped; a local
 *     number (no {@code +}) needs {@code phone-context} (RFC 3966 §5.1.5)
 */
public record TelUri(String number, Parameters parameters) implements Uri {
    public TelUri {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(parameters, "parameters");
        if (number.isEmpty()) {
            throw new IllegalArgumentException("tel: URI needs a number");
        }
        sip.message.internal.Grammar.requireNoCrLf("number", number);
        // Checked here too so that toString() always yields a URI that parses back.
        sip.message.internal.UriParser.checkTel(number, parameters);
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** True for a global number ({@code +...}). */
    public boolean isGlobal() {
        return number.startsWith("+");
    }

    /** The number without visual separators ({@code -.()}), as RFC 3966 §4 compares them. */
    public String digits() {
        StringBuilder sb = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** RFC 3966 §4: numbers compare without visual separators; parameters by name, any order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TelUri t && sip.message.internal.UriComparison.equivalent(this, t);
    }

    @Override
    public int hashCode() {
        return digits().toLowerCase(java.util.Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return sip.message.internal.UriFormatter.format(this);
    }
}
