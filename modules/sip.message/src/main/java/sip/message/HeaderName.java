package sip.message;

import java.util.Locale;
import sip.message.internal.Grammar;

/**
 * A header field name: a {@link StandardHeader} when the name is known (in long or compact form,
 * any case), otherwise an {@link ExtensionHeader}. Names compare case-insensitively (RFC 3261
 * §7.3.1), and a compact form equals its long form.
 */
public sealed interface HeaderName permits StandardHeader, ExtensionHeader {

    /** The canonical long form, e.g. {@code "Call-ID"}, or an extension's name as first given. */
    String canonical();

    /** The compact form letter, or 0 when the header has none. */
    char compact();

    /** True for headers whose values may be joined with commas on one line (RFC 3261 §7.3.1). */
    boolean isList();

    /** True for headers that may appear at most once in a message. */
    boolean isSingle();

    /**
     * The header named {@code name}: the standard header if the name (or compact form) is known,
     * otherwise an extension header.
     *
     * @throws IllegalArgumentException if {@code name} is not a token
     */
    static HeaderName of(String name) {
        StandardHeader h = StandardHeader.lookup(name);
        if (h != null) {
            return h;
        }
        if (!Grammar.isToken(name)) {
            throw new IllegalArgumentException("not a header name token: \"" + name + "\"");
        }
        return new ExtensionHeader(name);
    }

    /** The lower-case key names are compared by. */
    default String key() {
        return canonical().toLowerCase(Locale.ROOT);
    }
}
