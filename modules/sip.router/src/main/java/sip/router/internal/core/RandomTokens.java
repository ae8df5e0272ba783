package sip.router.internal.core;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Fresh From tags and Call-IDs from a secure random source (RFC 3261 §19.3: tags need at least 32
 * random bits, Call-IDs must be globally unique; unguessable values also keep an off-path attacker
 * from forging in-dialog requests). Base64url characters are all SIP tokens and Call-ID words.
 */
final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    /** 64 random bits, 11 characters. */
    static String tag() {
        return random(8);
    }

    /** 120 random bits (20 characters) at {@code host}. */
    static String callId(String host) {
        return random(15) + "@" + host;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }
}
