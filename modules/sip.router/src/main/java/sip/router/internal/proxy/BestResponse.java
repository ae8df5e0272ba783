package sip.router.internal.proxy;

import java.util.List;
import java.util.Set;
import sip.message.SipResponse;
import sip.message.StandardHeader;

/**
 * The choice of RFC 3261 §16.7 item 6 among the final responses (300–699) of a response
 * context's branches: a 6xx if any, else the lowest class; within 4xx the ones the caller can do
 * something about (401, 407, 415, 420, 484) first; else the first received. A 401 or 407 then
 * carries the challenges of every 401 and 407 received (§16.7 item 7), so the caller can answer
 * all at once. Pure functions.
 */
final class BestResponse {

    private static final Set<Integer> ACTIONABLE = Set.of(401, 407, 415, 420, 484);

    private BestResponse() {
    }

    /** The index in {@code finals} of the best one. @throws IllegalArgumentException if empty */
    static int pick(List<SipResponse> finals) {
        if (finals.isEmpty()) {
            throw new IllegalArgumentException("no final response to choose from");
        }
        int best = 0;
        for (int i = 1; i < finals.size(); i++) {
            if (rank(finals.get(i).statusCode()) < rank(finals.get(best).statusCode())) {
                best = i;
            }
        }
        return best;
    }

    /** Lower is better; equal ranks keep the first received. */
    private static int rank(int code) {
        int cls = code / 100;
        if (cls == 6) {
            return 0;
        }
        return cls * 10 + (cls == 4 && ACTIONABLE.contains(code) ? 0 : 1);
    }

    /**
     * {@code chosen} with the WWW-Authenticate and Proxy-Authenticate values of every other 401
     * and 407 in {@code finals} added; {@code chosen} itself when it is neither 401 nor 407.
     */
    static SipResponse withAllChallenges(SipResponse chosen, List<SipResponse> finals) {
        int code = chosen.statusCode();
        if (code != 401 && code != 407) {
            return chosen;
        }
        SipResponse.Builder b = null;
        for (SipResponse r : finals) {
            if (r == chosen || r.statusCode() != 401 && r.statusCode() != 407) {
                continue;
            }
            for (StandardHeader h : List.of(StandardHeader.WWW_AUTHENTICATE, StandardHeader.PROXY_AUTHENTICATE)) {
                for (String value : r.headerValues(h)) {
                    if (b == null) {
                        b = chosen.toBuilder();
                    }
                    b.addHeader(h, value);
                }
            }
        }
        return b == null ? chosen : b.build();
    }
}
