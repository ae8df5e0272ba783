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

    /**
     * A URI of this agent: {@code sips} when {@code sips} (TLS implied, no {@code transport=},
     * except WebSocket's), else {@code transport=} unless UDP.
     *
     * <p>WebSocket listeners, WS and WSS alike, are named {@code transport=ws}: RFC 7118 §5.2
     * defines that one value for both, and its §8 example record-routes a WSS hop (port 443) as
     * {@code <sip:h7kjh12s@proxy.example.com:443;transport=ws;lr>}, {@code sip:} with
     * {@code transport=ws}. The scheme stays {@code sip:} for WSS too: such a URI faces a
     * WebSocket client, which sends in-dialog requests over the connection it has whatever the
     * URI says; {@code sips:} (a sips request, RFC 3261 §16.6 item 4) keeps {@code transport=ws}
     * and so reads WSS, as RFC 7118 §5.2 and our locator take it.
     */
    static SipUri of(String user, String host, int port, String protocol, boolean sips) {
        SipUri u = SipUri.of(user, host, port);
        String transport = uriTransport(protocol);
        if (sips) {
            return transport.equals("ws") ? u.withSecure(true).withParameter("transport", "ws") : u.withSecure(true);
        }
        return transport.equals("udp") ? u : u.withParameter("transport", transport);
    }

    /** The {@code transport=} value naming a listener of {@code protocol}: its name, {@code ws} for WSS. */
    static String uriTransport(String protocol) {
        String name = protocol.toLowerCase(java.util.Locale.ROOT);
        return name.equals("wss") ? "ws" : name;
    }

    /** True when a URI's {@code transport=} value names listeners of {@code protocol} (ws: WS and WSS). */
    static boolean names(String uriTransport, String protocol) {
        return uriTransport.equalsIgnoreCase(protocol) || uriTransport.equalsIgnoreCase(uriTransport(protocol));
    }
}
