package sip.message;

/**
 * A URI as SIP uses it: a {@link SipUri} ({@code sip:}/{@code sips:}), a {@link TelUri}
 * ({@code tel:}, RFC 3966), or any other absolute URI kept opaque as an {@link AbsoluteUri}.
 * {@link #toString()} gives the wire form.
 */
public sealed interface Uri permits SipUri, TelUri, AbsoluteUri {

    /** The scheme: {@code "sip"}, {@code "sips"}, {@code "tel"}, or an opaque URI's scheme as written. */
    String scheme();

    /**
     * Parses a URI in the lenient profile.
     *
     * @throws SipParseException with status 400 if {@code text} is not a URI
     */
    static Uri parse(String text) {
        return sip.message.internal.UriParser.parse(text, Compliance.LENIENT);
    }

    /**
     * Parses a URI under {@code compliance}.
     *
     * @throws SipParseException with status 400 if {@code text} is not a URI or needs a
     *     violation the profile does not allow
     */
    static Uri parse(String text, Compliance compliance) {
        return sip.message.internal.UriParser.parse(text, compliance);
    }

    /** The wire form, with reserved characters escaped. */
    @Override
    String toString();
}
