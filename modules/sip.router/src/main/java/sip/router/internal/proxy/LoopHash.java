package sip.router.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Predicate;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Via;

/**
 * The loop-detection part of a proxy's Via branch (RFC 3261 §16.6 item 8, §16.3 item 4, as RFC
 * 5393 §4.2 corrects them). It hashes what decides where a request goes and which request it is
 * — Request-URI and Route values after route processing, From tag, To tag, Call-ID, CSeq
 * number, Proxy-Require, Proxy-Authorization — but not the Via, which every hop changes. A
 * request that comes back with the same hash is a loop; one that comes back changed (a new
 * Request-URI after a registrar lookup, say) is a spiral and goes on.
 */
final class LoopHash {

    /** 72 bits: collisions between different requests of one Call-ID are out of reach. */
    private static final int BYTES = 9;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private LoopHash() {
    }

    /** The hash of a route-processed request, as a token for a Via branch (base64url). */
    static String of(SipRequest routed) {
        StringBuilder s = new StringBuilder(256)
                .append(routed.requestUri()).append('\n');
        for (String route : routed.headerValues(StandardHeader.ROUTE)) {
            s.append(route.strip()).append('\n');
        }
        s.append(routed.fromTag()).append('\n')
                .append(routed.toTag()).append('\n')
                .append(routed.callId()).append('\n')
                .append(routed.cseq().sequence()).append('\n');
        for (String v : routed.headerValues(StandardHeader.PROXY_REQUIRE)) {
            s.append(v.strip()).append('\n');
        }
        for (String v : routed.headerValues(StandardHeader.PROXY_AUTHORIZATION)) {
            s.append(v.strip()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return BASE64.encodeToString(java.util.Arrays.copyOf(digest, BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * True when {@code received} carries a Via this proxy stamped (sent-by naming it) whose branch
     * ends in {@code "." + hash}: the request was here before, unchanged.
     */
    static boolean isLoop(SipRequest received, String hash, Predicate<SipUri> local) {
        String suffix = "." + hash;
        for (Via via : received.vias()) {
            String branch = via.branch();
            if (branch != null && branch.endsWith(suffix)
                    && local.test(SipUri.of(null, via.host(), via.port()))) {
                return true;
            }
        }
        return false;
    }
}
