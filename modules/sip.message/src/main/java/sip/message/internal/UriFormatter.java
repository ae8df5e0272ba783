package sip.message.internal;

import sip.message.SipUri;
import sip.message.TelUri;

/** Writes URIs in wire form, escaping what the grammar requires. (STUB: being written.) */
public final class UriFormatter {
    private UriFormatter() {}

    public static String format(SipUri u) {
        return u.scheme() + ":" + (u.user() == null ? "" : u.user() + "@") + u.host()
            + (u.port() < 0 ? "" : ":" + u.port()) + u.parameters();
    }

    public static String format(TelUri u) {
        return "tel:" + u.number() + u.parameters();
    }
}
