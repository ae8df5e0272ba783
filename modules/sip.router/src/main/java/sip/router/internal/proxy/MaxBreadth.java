package sip.router.internal.proxy;

import sip.message.HeaderName;
import sip.message.SipRequest;

/**
 * RFC 5393 §5: the {@code Max-Breadth} a request allows, shared out between the parallel
 * branches a proxy runs for it at once (each gets at least 1, together no more than it), so
 * forking cannot multiply a request without bound along a chain of forking proxies.
 */
final class MaxBreadth {

    static final HeaderName NAME = HeaderName.of("Max-Breadth");
    /** RFC 5393 §5.3.3: the value a proxy assumes when the header is absent. */
    static final int DEFAULT = 60;

    private MaxBreadth() {
    }

    /** The request's Max-Breadth; the default when absent or not a number (never below 0). */
    static int of(SipRequest request) {
        String v = request.header(NAME).orElse(null);
        if (v == null) {
            return DEFAULT;
        }
        try {
            return Math.max(0, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT;
        }
    }

    /** Share {@code i} of {@code total} split over {@code n} branches: the first ones get the remainder. */
    static int share(int total, int n, int i) {
        return total / n + (i < total % n ? 1 : 0);
    }
}
