package sip.message;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One Contact value: either the wildcard {@code *} (REGISTER with Expires 0, RFC 3261 §10.2.2)
 * or an address with its parameters ({@code expires}, {@code q}, ...).
 *
 * @param address the address, or null for the wildcard
 */
public record Contact(NameAddress address) {
    /** The {@code *} contact. */
    public static final Contact WILDCARD = new Contact(null);

    public static Contact of(NameAddress address) {
        return new Contact(java.util.Objects.requireNonNull(address, "address"));
    }

    public static Contact of(Uri uri) {
        return of(NameAddress.of(uri));
    }

    public boolean isWildcard() {
        return address == null;
    }

    /** The URI; throws for the wildcard. */
    public Uri uri() {
        if (address == null) {
            throw new IllegalStateException("the wildcard contact has no URI");
        }
        return address.uri();
    }

    /** The {@code expires} parameter in seconds, if present. */
    public OptionalLong expires() {
        String v = address == null ? null : address.parameters().value("expires");
        long n = sip.message.internal.Numbers.parse(v, 0xFFFF_FFFFL);
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** The {@code q} parameter (0 to 1), if present. */
    public OptionalDouble q() {
        String v = address == null ? null : address.parameters().value("q");
        double q = sip.message.internal.Numbers.qvalue(v);
        return q < 0 ? OptionalDouble.empty() : OptionalDouble.of(q);
    }

    @Override
    public String toString() {
        return address == null ? "*" : address.toString();
    }
}
