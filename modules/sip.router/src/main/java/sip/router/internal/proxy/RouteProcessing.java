package sip.router.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;

/**
 * RFC 3261 §16.4 on a received request: a Request-URI this proxy put in a Record-Route (the
 * previous hop was a strict router) is replaced by the last Route value; then the Route values
 * naming this proxy are removed from the top (two of them after a double Record-Route, RFC 5658).
 * A pure function of the request and what counts as "this proxy".
 */
final class RouteProcessing {

    /**
     * The request after route processing.
     *
     * @param request the request with own Route values removed (the same object when untouched)
     * @param toUs whether a Route value or a strict-routed Request-URI named this proxy: the
     *     request follows a route set this proxy is in
     */
    record Routed(SipRequest request, boolean toUs) {
    }

    private RouteProcessing() {
    }

    /**
     * @param local whether a URI names this proxy
     * @throws sip.message.SipParseException if a Route value is malformed (400)
     */
    static Routed process(SipRequest request, Predicate<SipUri> local) {
        List<NameAddress> routes = request.all(HeaderType.ROUTE);
        if (routes.isEmpty()) {
            return new Routed(request, false);
        }
        Uri requestUri = request.requestUri();
        boolean strict = requestUri instanceof SipUri u && u.user() == null && local.test(u);
        List<NameAddress> left = new ArrayList<>(routes);
        if (strict) {
            requestUri = left.removeLast().uri();
        }
        int own = 0;
        while (own < left.size() && left.get(own).uri() instanceof SipUri r && local.test(r)) {
            own++;
        }
        if (!strict && own == 0) {
            return new Routed(request, false);
        }
        SipRequest.Builder b = request.toBuilder();
        if (strict) {
            b.requestUri(requestUri).removeHeader(HeaderType.ROUTE.name());
            for (NameAddress r : left.subList(own, left.size())) {
                b.add(HeaderType.ROUTE, r);
            }
        } else {
            for (int i = 0; i < own; i++) {
                b.removeFirst(HeaderType.ROUTE); // the others keep their bytes
            }
        }
        return new Routed(b.build(), true);
    }
}
