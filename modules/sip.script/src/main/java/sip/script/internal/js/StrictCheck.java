package sip.script.internal.js;

import java.nio.charset.StandardCharsets;
import sip.message.HeaderName;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Status;
import sip.message.Uri;

/**
 * The strict parser's verdict on one thing a script wants Parley to send: a header value, a
 * Request-URI, a reason phrase. The message builders check values with the lenient parse (what
 * Parley accepts), but what Parley sends must pass its own strict parser: so the value is written
 * by the builder into a small well-formed message, which is serialized and strict-parsed. Only
 * the script's value is judged, never the rest of the received request (which may have come in
 * under the lenient profile). Thread-safe (immutable templates).
 */
final class StrictCheck {

    private static final SipParser STRICT = SipParser.strict();
    private static final String HEADERS = "Via: SIP/2.0/UDP probe.invalid;branch=z9hG4bKprobe\r\n"
            + "From: <sip:probe@probe.invalid>;tag=probe\r\nTo: <sip:probe@probe.invalid>\r\n"
            + "Call-ID: probe\r\nCSeq: 1 OPTIONS\r\n";
    private static final SipRequest REQUEST = (SipRequest) parse(
            "OPTIONS sip:probe@probe.invalid SIP/2.0\r\n" + HEADERS + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    private static final SipResponse RESPONSE = (SipResponse) parse(
            "SIP/2.0 200 OK\r\n" + HEADERS + "Content-Length: 0\r\n\r\n");

    private StrictCheck() {
    }

    /** Why {@code name: value} would not pass the strict parser (null if it would). */
    static String header(HeaderName name, String value) {
        try {
            return verdict(REQUEST.toBuilder().addHeader(name, value).build());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Why {@code uri} would not pass the strict parser as a Request-URI (null if it would). */
    static String requestUri(Uri uri) {
        try {
            return verdict(REQUEST.toBuilder().requestUri(uri).build());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Why {@code status} with {@code reason} would not pass the strict parser (null if it would). */
    static String reason(int status, String reason) {
        try {
            return verdict(RESPONSE.toBuilder().status(Status.of(status, reason)).build());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String verdict(SipMessage m) {
        return STRICT.parse(m.toBytes()) instanceof ParseResult.Malformed bad ? bad.error().reason() : null;
    }

    private static SipMessage parse(String text) {
        if (STRICT.parse(text.getBytes(StandardCharsets.UTF_8)) instanceof ParseResult.Parsed(SipMessage m)) {
            return m;
        }
        throw new IllegalStateException("the strict-check template does not parse strictly");
    }
}
