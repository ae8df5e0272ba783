package sip.message;

import java.util.Objects;

/**
 * A name-addr or addr-spec with header parameters: the value of From, To, Contact (when not
 * {@code *}), Route, Record-Route, Path, Reply-To, Refer-To, P-Asserted-Identity...
 *
 * @param displayName the display name, unquoted and unescaped, or null when absent
 * @param uri the URI
 * @param parameters the header parameters after the URI ({@code ;tag=...;expires=...})
 */
public record NameAddress(String displayName, Uri uri, Parameters parameters) {
    public NameAddress {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(parameters, "parameters");
        // NUL is allowed: a quoted-pair may carry it (RFC 4475 intmeth), and it is written back
        // escaped. CR and LF could inject a header, so they stay out.
        if (displayName != null && (displayName.indexOf('\r') >= 0 || displayName.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("display name must not contain CR or LF (header injection)");
        }
    }

    /** {@code <uri>} with no display name or parameters. */
    public static NameAddress of(Uri uri) {
        return new NameAddress(null, uri, Parameters.EMPTY);
    }

    /** {@code "displayName" <uri>}. */
    public static NameAddress of(String displayName, Uri uri) {
        return new NameAddress(displayName, uri, Parameters.EMPTY);
    }

    /** The tag parameter (From/To), or null. */
    public String tag() {
        return parameters.value("tag");
    }

    public NameAddress withTag(String tag) {
        return withParameter("tag", tag);
    }

    public NameAddress withParameter(String name, String value) {
        return new NameAddress(displayName, uri, parameters.with(name, value));
    }

    public NameAddress withUri(Uri u) {
        return new NameAddress(displayName, u, parameters);
    }

    /** The wire form, always with angle brackets: {@code "Name" <uri>;params}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        if (displayName != null) {
            sip.message.internal.HeaderQuoting.appendQuoted(sb, displayName);
            sb.append(' ');
        }
        sb.append('<').append(uri).append('>');
        parameters.appendTo(sb);
        return sb.toString();
    }
}
