package sip.message;

/**
 * A deviation from the SIP grammar that a {@link Compliance} profile may tolerate. Each names the
 * rule it breaks; {@link Compliance#STRICT} rejects all of them, {@link Compliance#LENIENT}
 * tolerates those that RFC 4475 and RFC 5118 say a liberal element may accept.
 */
public enum Violation {
    /** Lines ended by a bare LF instead of CRLF. */
    BARE_LF("RFC 3261 §7", "line ended by LF without CR"),
    /** Whitespace between "<" or ">" and the URI of a name-addr ({@code < sip:a@b >}). */
    SPACES_IN_ADDR_SPEC("RFC 3261 §25.1; RFC 4475 §3.1.2.14", "whitespace inside <addr-spec>"),
    /** An unquoted display name with characters that are not tokens ({@code Bob. 'X' <...>}). */
    UNQUOTED_DISPLAY_NAME("RFC 3261 §25.1 display-name; RFC 4475 §3.1.2.15",
        "unquoted display name with non-token characters"),
    /** A Request-URI carrying URI headers ({@code ?Route=...}), which RFC 3261 forbids there. */
    HEADERS_IN_REQUEST_URI("RFC 3261 §19.1.5; RFC 4475 §3.1.2.11", "URI headers in the Request-URI"),
    /** A bare addr-spec (no angle brackets) that holds ",", "?" or ";"-bearing URI parts. */
    UNBRACKETED_URI_HEADERS("RFC 3261 §20; RFC 4475 §3.1.2.13",
        "URI with headers not enclosed in <> in a name-addr header"),
    /** A Date header that is not an RFC 1123 date in GMT. */
    INVALID_DATE("RFC 3261 §20.17; RFC 4475 §3.1.2.12", "Date not in RFC 1123 GMT form"),
    /** An IPv6 received (or maddr) parameter written inside brackets. */
    BRACKETED_IPV6_PARAM("RFC 3261 §20.42; RFC 5118 §4.5", "IPv6 address in [] in a Via parameter"),
    /**
     * A datagram whose header section runs to the end of the packet without the empty line that
     * must end it (RFC 4475's archived baddn.dat is one); tolerated as a message without body.
     */
    MISSING_EMPTY_LINE("RFC 3261 §7", "datagram ends without the empty line after the header fields"),
    /** A message on a stream transport without Content-Length; tolerated as a body of 0 bytes. */
    STREAM_WITHOUT_CONTENT_LENGTH("RFC 3261 §18.3", "no Content-Length on a stream transport"),
    /** An IPv6 reference with three consecutive colons, which RFC 3261's ABNF allows but RFC 4291 does not. */
    IPV6_EXTRA_COLON("RFC 4291 §2.2; RFC 5118 §4.10", "IPv6 address with \":::\"");

    private final String rule;
    private final String description;

    Violation(String rule, String description) {
        this.rule = rule;
        this.description = description;
    }

    /** The rule broken, e.g. "RFC 3261 §7". */
    public String rule() {
        return rule;
    }

    /** What was seen, in a few words. */
    public String description() {
        return description;
    }
}
