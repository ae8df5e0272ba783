package sip.router.internal.dialog;

import java.util.Base64;
import sip.router.internal.SecureBits;

/** From tags for INVITEs given without one: 64 secure random bits (RFC 3261 §19.3). */
final class Tags {

    private static final SecureBits BITS = new SecureBits(8);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Tags() {
    }

    static String next() {
        return BASE64URL.encodeToString(BITS.next());
    }
}
