package sip.router.internal.core;

import java.util.Base64;
import sip.router.internal.SecureBits;

/**
 * Fresh From tags and Call-IDs from a secure random source (RFC 3261 §19.3: tags need at least 32
 * random bits, Call-IDs must be globally unique; unguessable values also keep an off-path attacker
 * from forging in-dialog requests). Base64url characters are all SIP tokens and Call-ID words.
 * Drawn from the same striped DRBGs as Via branches: a UAC makes a tag and a Call-ID per call.
 */
final class RandomTokens {

    private static final SecureBits TAG_BITS = new SecureBits(8);
    private static final SecureBits CALL_ID_BITS = new SecureBits(15);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    /** 64 random bits, 11 characters. */
    static String tag() {
        return BASE64URL.encodeToString(TAG_BITS.next());
    }

    /** 120 random bits (20 characters) at {@code host}. */
    static String callId(String host) {
        return BASE64URL.encodeToString(CALL_ID_BITS.next()) + "@" + host;
    }
}
