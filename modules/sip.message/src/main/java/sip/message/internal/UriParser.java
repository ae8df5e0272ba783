package sip.message.internal;

import java.nio.charset.StandardCharsets;
import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.SipParseException;
import sip.message.Uri;

/** Parses sip:, sips:, tel: and other absolute URIs. (STUB: being written.) */
public final class UriParser {
    private UriParser() {}

    /** API entry: parses all of {@code text}. */
    public static Uri parse(String text, Compliance compliance) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            return parse(b, 0, b.length, new ParseContext(compliance, ComplianceListener.NONE));
        } catch (ParseFailure f) {
            throw new SipParseException(f.toError(0, Math.max(0, f.position())));
        }
    }

    /** Parses exactly {@code b[from, to)} as one URI; throws {@link ParseFailure} if it is not one. */
    public static Uri parse(byte[] b, int from, int to, ParseContext ctx) {
        throw new ParseFailure("URI parsing not implemented yet", from);
    }

    /** Validates a host given to {@link sip.message.SipUri}'s constructor. */
    public static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
    }
}
