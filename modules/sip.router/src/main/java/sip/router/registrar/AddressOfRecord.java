package sip.router.registrar;

import java.util.Locale;
import java.util.Objects;
import sip.message.SipUri;
import sip.message.Uri;

/**
 * The key a location service files bindings under: the canonical form of an address-of-record
 * as RFC 3261 §10.3 step 5 defines it, "all URI parameters MUST be removed (including the
 * user-param), and any escaped characters MUST be converted to their unescaped form". So
 * {@code sip:%62ob@Example.COM;transport=tcp} and {@code sip:bob@example.com} are one AoR.
 *
 * @param scheme {@code sip} or {@code sips}
 * @param user the unescaped user part, or null (a domain-wide AoR)
 * @param host the host in lower case
 * @param port the port, or -1 when the URI gives none ({@code :5060} is kept distinct, as the
 *     URI comparison of §19.1.4 keeps it)
 */
public record AddressOfRecord(String scheme, String user, String host, int port) {

    public AddressOfRecord {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            throw new IllegalArgumentException("an address-of-record is a sip: or sips: URI: " + scheme);
        }
    }

    /**
     * The AoR of {@code uri}.
     *
     * @throws IllegalArgumentException if {@code uri} is not a {@code sip:}/{@code sips:} URI
     *     (RFC 3261 §10.2: "This address-of-record MUST be a SIP URI or SIPS URI")
     */
    public static AddressOfRecord of(Uri uri) {
        if (!(uri instanceof SipUri u)) {
            throw new IllegalArgumentException("not a SIP or SIPS URI: " + uri);
        }
        return new AddressOfRecord(u.scheme(), u.user(), u.host().toLowerCase(Locale.ROOT), u.port());
    }

    /** Parses {@code text} as a URI and takes its AoR. */
    public static AddressOfRecord parse(String text) {
        return of(Uri.parse(text));
    }

    /** The AoR as a URI with no parameters. */
    public SipUri toUri() {
        return SipUri.of(user, host, port).withSecure(scheme.equals("sips"));
    }

    @Override
    public String toString() {
        return toUri().toString();
    }
}
