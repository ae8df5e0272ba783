package sip.message;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A {@code sip:} or {@code sips:} URI (RFC 3261 §19.1).
 *
 * <p>User and password are stored unescaped ({@code sip:%61lice@h} has user {@code "alice"});
 * URI parameters and header values too. {@link #toString()} escapes them again where the grammar
 * requires. {@link #equals(Object)} follows the comparison rules of RFC 3261 §19.1.4 (scheme,
 * user and password case-sensitive after unescaping, host case-insensitive, the user, ttl,
 * method, maddr and transport parameters must match when either has them, other parameters only
 * when both have them, headers all must match).
 *
 * @param secure true for {@code sips:}
 * @param user the unescaped user part (any characters, escaped again on output), or null; not empty
 * @param password the unescaped password, or null; only with a user
 * @param host the host as written: a domain name, an IPv4 address, or an IPv6 reference with its
 *     brackets ({@code "[2001:db8::1]"}); anything else is an {@link IllegalArgumentException}
 * @param port the port, or -1 when none is given
 * @param parameters URI parameters ({@code ;transport=tcp;lr}), unescaped
 * @param headers URI headers ({@code ?Subject=x&Route=...}), unescaped
 */
public record SipUri(boolean secure, String user, String password, String host, int port,
                     Parameters parameters, Parameters headers) implements Uri {

    public SipUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(headers, "headers");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 or -1: " + port);
        }
        sip.message.internal.UriParser.checkHost(host);
        // User and password may hold any character, NUL and CR/LF included (RFC 4475 escnull):
        // they are always written escaped, so they cannot break a header line.
        if (user != null && user.isEmpty()) {
            throw new IllegalArgumentException("user must be null or non-empty");
        }
        if (password != null && user == null) {
            throw new IllegalArgumentException("a password needs a user");
        }
    }

    /** {@code sip:host}. */
    public static SipUri of(String host) {
        return new SipUri(false, null, null, host, -1, Parameters.EMPTY, Parameters.EMPTY);
    }

    /** {@code sip:user@host:port} (port -1 for none). */
    public static SipUri of(String user, String host, int port) {
        return new SipUri(false, user, null, host, port, Parameters.EMPTY, Parameters.EMPTY);
    }

    /**
     * Parses a {@code sip:} or {@code sips:} URI.
     *
     * @throws SipParseException if it is not one
     */
    public static SipUri parse(String text) {
        if (Uri.parse(text) instanceof SipUri u) {
            return u;
        }
        throw new SipParseException(new ParseError("not a sip: or sips: URI: " + text,
            Status.UNSUPPORTED_URI_SCHEME_416, 0, 0, null));
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** The port if given. */
    public OptionalInt portIfSet() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** True when the host is an IPv6 reference. */
    public boolean isIpv6() {
        return host.startsWith("[");
    }

    /** The value of URI parameter {@code name}, or null (also null for a flag such as lr). */
    public String parameter(String name) {
        return parameters.value(name);
    }

    /** The {@code transport} parameter in lower case, or null. */
    public String transport() {
        String t = parameters.value("transport");
        return t == null ? null : t.toLowerCase(java.util.Locale.ROOT);
    }

    /** True when the {@code lr} parameter is present (loose routing, RFC 3261 §16.12). */
    public boolean isLooseRouting() {
        return parameters.has("lr");
    }

    public SipUri withSecure(boolean s) {
        return new SipUri(s, user, password, host, port, parameters, headers);
    }

    public SipUri withUser(String u) {
        return new SipUri(secure, u, password, host, port, parameters, headers);
    }

    public SipUri withHost(String h) {
        return new SipUri(secure, user, password, h, port, parameters, headers);
    }

    public SipUri withPort(int p) {
        return new SipUri(secure, user, password, host, p, parameters, headers);
    }

    /** A copy with URI parameter {@code name} set (null value for a flag such as lr). */
    public SipUri withParameter(String name, String value) {
        return new SipUri(secure, user, password, host, port, parameters.with(name, value), headers);
    }

    public SipUri withoutParameter(String name) {
        return new SipUri(secure, user, password, host, port, parameters.without(name), headers);
    }

    public SipUri withParameters(Parameters p) {
        return new SipUri(secure, user, password, host, port, p, headers);
    }

    public SipUri withHeaders(Parameters h) {
        return new SipUri(secure, user, password, host, port, parameters, h);
    }

    /** RFC 3261 §19.1.4 equivalence. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri other && sip.message.internal.UriComparison.equivalent(this, other);
    }

    /** Consistent with {@link #equals}: scheme, unescaped user, lower-case host, port. */
    @Override
    public int hashCode() {
        return sip.message.internal.UriComparison.hash(this);
    }

    @Override
    public String toString() {
        return sip.message.internal.UriFormatter.format(this);
    }
}
