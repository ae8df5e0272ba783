package sip.message;

import java.util.Objects;

/**
 * The value of WWW-Authenticate / Proxy-Authenticate (a challenge) or Authorization /
 * Proxy-Authorization (credentials) (RFC 3261 §20.7, §20.27, §20.28, §20.44; RFC 7616):
 * a scheme and comma-separated auth parameters. The scheme may be any token (RFC 4475
 * §3.3.7 {@code NoOneKnowsThisScheme}).
 *
 * @param scheme the scheme as written, e.g. {@code "Digest"}
 * @param parameters the auth parameters, values unquoted; {@link Parameters#isQuoted(int)} tells
 *     whether each was a quoted string so it is written back the same way
 */
public record AuthValue(String scheme, Parameters parameters) {
    public AuthValue {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(parameters, "parameters");
        if (!sip.message.internal.Grammar.isToken(scheme)) {
            throw new IllegalArgumentException("auth scheme must be a token: " + scheme);
        }
    }

    /** True for the Digest scheme (case-insensitive). */
    public boolean isDigest() {
        return scheme.equalsIgnoreCase("Digest");
    }

    /** The value of auth parameter {@code name}, or null. */
    public String parameter(String name) {
        return parameters.value(name);
    }

    /** {@code Scheme a="b", c=d}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(128).append(scheme);
        for (int i = 0; i < parameters.size(); i++) {
            sb.append(i == 0 ? " " : ", ").append(parameters.name(i));
            String v = parameters.valueAt(i);
            if (v != null) {
                sb.append('=');
                if (parameters.isQuoted(i)) {
                    sip.message.internal.HeaderQuoting.appendQuoted(sb, v);
                } else {
                    sb.append(v);
                }
            }
        }
        return sb.toString();
    }
}
