package sip.message;

import java.util.Locale;

/**
 * A header name Parley has no typed view for. Its values are kept verbatim and forwarded
 * unchanged. Equality ignores case.
 *
 * @param name the name as first seen or given
 */
public record ExtensionHeader(String name) implements HeaderName {
    public ExtensionHeader {
        if (!sip.message.internal.Grammar.isToken(name)) {
            throw new IllegalArgumentException("not a header name token: \"" + name + "\"");
        }
        // Otherwise "Content-Length" could exist twice, once unseen by the serialiser.
        StandardHeader standard = StandardHeader.lookup(name);
        if (standard != null) {
            throw new IllegalArgumentException("\"" + name + "\" is the standard header "
                + standard.canonical() + ": use HeaderName.of or StandardHeader");
        }
    }

    @Override
    public String canonical() {
        return name;
    }

    @Override
    public char compact() {
        return 0;
    }

    /** Unknown headers are never split on commas: a comma may be part of the value. */
    @Override
    public boolean isList() {
        return false;
    }

    @Override
    public boolean isSingle() {
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionHeader e && e.name.equalsIgnoreCase(name);
    }

    @Override
    public int hashCode() {
        return name.toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
