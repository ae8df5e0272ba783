package sip.message;

import java.util.Locale;
import java.util.Objects;

/**
 * Any absolute URI other than sip, sips and tel, kept opaque ({@code mailto:}, {@code http:},
 * RFC 4475's {@code nobodyKnowsThisScheme:}). Equal when the schemes are equal ignoring case and
 * the scheme-specific parts are equal.
 *
 * @param scheme the scheme as written (compared ignoring case)
 * @param schemeSpecificPart everything after the first colon, exactly as written
 */
public record AbsoluteUri(String scheme, String schemeSpecificPart) implements Uri {
    public AbsoluteUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(schemeSpecificPart, "schemeSpecificPart");
        sip.message.internal.UriParser.checkAbsolute(scheme, schemeSpecificPart);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbsoluteUri a && a.scheme.equalsIgnoreCase(scheme)
            && a.schemeSpecificPart.equals(schemeSpecificPart);
    }

    @Override
    public int hashCode() {
        return scheme.toLowerCase(Locale.ROOT).hashCode() * 31 + schemeSpecificPart.hashCode();
    }

    @Override
    public String toString() {
        return scheme + ":" + schemeSpecificPart;
    }
}
