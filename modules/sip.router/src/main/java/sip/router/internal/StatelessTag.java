package sip.router.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import sip.message.HeaderField;
import sip.message.SipRequest;
import sip.message.StandardHeader;

/**
 * The To tag of a response sent without a transaction. RFC 3261 §8.2.7: a stateless UAS must
 * "generate the same tag for the same request consistently", so a retransmitted request gets the
 * same answer — a fresh random tag per copy would look like a new dialog each time. The tag is a
 * keyed hash (HMAC-SHA-256 under a random per-process key, so peers cannot predict it) of the
 * raw text of the fields that identify a request: method, Request-URI, the top Via (its branch),
 * From (its tag), Call-ID and CSeq. Raw text, not parsed values, so a request that only partly
 * parsed still gets a stable tag.
 */
public final class StatelessTag {

    private static final SecretKeySpec KEY;

    static {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        KEY = new SecretKeySpec(k, "HmacSHA256");
    }

    private StatelessTag() {
    }

    /** The tag for {@code request}: 16 hex digits, the same for every copy of the same request. */
    public static String of(SipRequest request) {
        StringBuilder sb = new StringBuilder(256).append(request.method().name()).append('\n')
                .append(request.requestUri()).append('\n');
        boolean via = false;
        boolean from = false;
        boolean callId = false;
        boolean cseq = false;
        for (HeaderField f : request.headers()) {
            if (!(f.name() instanceof StandardHeader h)) {
                continue;
            }
            boolean take = switch (h) {
                case VIA -> !via && (via = true);
                case FROM -> !from && (from = true);
                case CALL_ID -> !callId && (callId = true);
                case CSEQ -> !cseq && (cseq = true);
                default -> false;
            };
            if (take) {
                sb.append(h.canonical()).append(':').append(f.value()).append('\n');
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(KEY);
            byte[] digest = mac.doFinal(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
