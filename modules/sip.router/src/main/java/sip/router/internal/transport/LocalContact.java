package sip.router.internal.transport;

import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.StandardHeader;

/**
 * The Contact this user agent puts where RFC 3261 wants one (§8.1.1.8 requests that can start a
 * dialog, §12.1.1 the responses that do): built from the same host and port as the Via
 * sent-by, so that the two never disagree, with {@code transport=} unless UDP, and the
 * {@code sips} scheme when the request is {@code sips} (§8.1.1.8: then TLS is implied).
 */
final class LocalContact {

    private static final String DEFAULT_USER = "parley";

    private LocalContact() {
    }

    /** A request that can create a dialog and has no Contact of the user's. */
    static boolean wanted(SipRequest request) {
        Method m = request.method();
        // UPDATE: a target refresh request, which SHOULD carry one (RFC 3311 §5.1).
        return (m.equals(Method.INVITE) || m.equals(Method.SUBSCRIBE) || m.equals(Method.REFER)
                || m.equals(Method.UPDATE)) && !request.hasHeader(StandardHeader.CONTACT);
    }

    static boolean isSips(SipRequest request) {
        return request.requestUri() instanceof SipUri u && u.secure();
    }

    /** The user part: the configured identity's, else {@code parley}. */
    static String userOf(NameAddress identity) {
        return identity != null && identity.uri() instanceof SipUri id && id.user() != null ? id.user() : DEFAULT_USER;
    }

    static SipUri of(String user, String host, int port, String protocol, boolean sips) {
        SipUri u = SipUri.of(user, host, port);
        if (sips) {
            return u.withSecure(true);
        }
        return protocol.equalsIgnoreCase("udp") ? u : u.withParameter("transport", protocol.toLowerCase(java.util.Locale.ROOT));
    }
}
