package sip.message.internal;

import sip.message.SipUri;
import sip.message.TelUri;

/** RFC 3261 §19.1.4 and RFC 3966 §4 URI equivalence. (STUB: being written.) */
public final class UriComparison {
    private UriComparison() {}

    public static boolean equivalent(SipUri a, SipUri b) {
        return a == b;
    }

    public static int hash(SipUri u) {
        return u.host().toLowerCase(java.util.Locale.ROOT).hashCode();
    }

    public static boolean equivalent(TelUri a, TelUri b) {
        return a == b;
    }
}
