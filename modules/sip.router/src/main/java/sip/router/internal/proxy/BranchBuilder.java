package sip.router.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.Destination;
import sip.router.internal.transport.HostAddresses;
import sip.router.internal.transport.TransportLayer;
import sip.router.proxy.Target;
import sip.transport.spi.Flow;

/**
 * The copy of a request a branch forwards (RFC 3261 §16.6 items 1–7): Request-URI set to the
 * target, Max-Forwards decremented (70 added when absent), the target's path pushed as Route
 * values, Record-Route inserted (two when the request leaves on another transport or interface
 * than it came in on, RFC 5658), strict-router postprocessing (item 6), and the next hop
 * (item 7). The Via and Content-Length are the transport layer's (items 8, 9).
 */
final class BranchBuilder {

    /**
     * A branch ready to send.
     *
     * @param request the copy, without the proxy's Via
     * @param destination the next hop, or null to let the transaction layer locate it, fail over
     *     through what it finds, and fail the branch with a local 503 when it finds nothing
     */
    record Prepared(SipRequest request, Destination destination) {
    }

    private final TransportLayer transport;
    private final ProxyKeys keys;

    BranchBuilder(TransportLayer transport, ProxyKeys keys) {
        this.transport = transport;
        this.keys = keys;
    }

    /**
     * @param routed the route-processed request
     * @param arrival the flow it came in on (the upstream side of a Record-Route)
     * @param recordRoute whether to insert Record-Route
     * @param override a next hop that wins over everything, or null
     * @param maxBreadth the branch's share of the request's Max-Breadth
     * @throws IllegalArgumentException if the copy cannot be built (a target URI a request cannot
     *     carry)
     */
    Prepared build(SipRequest routed, Target target, Flow arrival, boolean recordRoute, Destination override,
                   int maxBreadth) {
        SipRequest.Builder b = routed.toBuilder();
        b.maxForwards(decremented(routed));
        b.setHeader(MaxBreadth.NAME, Integer.toString(maxBreadth)); // RFC 5393 §5.3.3: this branch's share
        List<NameAddress> routes = new ArrayList<>(target.path());
        List<NameAddress> own = routed.all(HeaderType.ROUTE);
        routes.addAll(own);
        Uri requestUri = target.uri();
        boolean changed = !target.path().isEmpty();
        if (!routes.isEmpty() && !(routes.getFirst().uri() instanceof SipUri first && first.isLooseRouting())) {
            // Item 6: the next hop is a strict router; it takes the Request-URI from us.
            routes.add(NameAddress.of(requestUri));
            requestUri = routes.removeFirst().uri();
            changed = true;
        }
        b.requestUri(requestUri);
        if (changed) {
            b.removeHeader(HeaderType.ROUTE.name());
            for (NameAddress r : routes) {
                b.add(HeaderType.ROUTE, r);
            }
        }
        Destination next = override != null ? override : nextHop(target.flow());
        if (recordRoute) {
            boolean sips = requestUri instanceof SipUri u && u.secure()
                    || !routes.isEmpty() && routes.getFirst().uri() instanceof SipUri r && r.secure();
            // The dialog token: later requests naming us by these URIs skip the handler (ProxyKeys).
            String token = keys.dialogToken(routed.callId(), routed.fromTag());
            SipUri in = withFlow(transport.recordRouteFor(arrival, sips).withParameter(ProxyKeys.PARAMETER, token),
                    onlyOverFlow(arrival, contactHost(routed)) ? arrival : null);
            SipUri out = next == null ? null
                    : withFlow(transport.recordRouteFor(next.protocol(), next.address(), sips)
                            .withParameter(ProxyKeys.PARAMETER, token),
                            target.flow() != null && onlyOverFlow(target.flow(), hostOf(target.uri()))
                                    ? target.flow() : null);
            b.addFirst(HeaderType.RECORD_ROUTE, NameAddress.of(in));
            if (out != null && !out.equals(in)) {
                b.addFirst(HeaderType.RECORD_ROUTE, NameAddress.of(out));
            }
        }
        return new Prepared(b.build(), next);
    }

    /**
     * {@code uri} (carrying its dialog token) with the flow token of {@code flow} in that dialog
     * ({@link ProxyKeys#FLOW_PARAMETER}), so that
     * in-dialog requests towards that side go back over it; {@code uri} itself for no flow. A
     * Record-Route with a token differs from the other side's, so the two are both inserted
     * (a double Record-Route, RFC 5658) even on one listener: each names its own flow.
     */
    private SipUri withFlow(SipUri uri, Flow flow) {
        return flow == null ? uri
                : uri.withParameter(ProxyKeys.FLOW_PARAMETER, keys.flowToken(flow, uri.parameter(ProxyKeys.PARAMETER)));
    }

    /**
     * A peer reached only over its flow: a WebSocket client (it accepts no connection, RFC 7118
     * §5) or one naming itself by a {@code *.invalid} host (RFC 6761 §6.4), as JsSIP and SIP.js do.
     */
    static boolean onlyOverFlow(Flow flow, String host) {
        String p = flow.protocol().toLowerCase(java.util.Locale.ROOT);
        return p.equals("ws") || p.equals("wss") || host != null && HostAddresses.isInvalidName(host);
    }

    /** The host of the request's first Contact, or null. */
    private static String contactHost(SipRequest request) {
        try {
            return request.contacts().isEmpty() ? null : hostOf(request.contacts().getFirst().uri());
        } catch (RuntimeException unreadable) {
            return null; // a relay goes on without a flow token: the Contact is the UAS's to judge
        }
    }

    private static String hostOf(Uri uri) {
        return uri instanceof SipUri u ? u.host() : null;
    }

    /** §16.6 item 3 for a stateless forward (ACK): the same Max-Forwards and strict-router rules. */
    static SipRequest statelessCopy(SipRequest routed) {
        SipRequest.Builder b = routed.toBuilder().maxForwards(decremented(routed));
        List<NameAddress> routes = new ArrayList<>(routed.all(HeaderType.ROUTE));
        if (!routes.isEmpty() && !(routes.getFirst().uri() instanceof SipUri first && first.isLooseRouting())) {
            routes.add(NameAddress.of(routed.requestUri()));
            b.requestUri(routes.removeFirst().uri()).removeHeader(HeaderType.ROUTE.name());
            for (NameAddress r : routes) {
                b.add(HeaderType.ROUTE, r);
            }
        }
        return b.build();
    }

    private static int decremented(SipRequest routed) {
        OptionalInt hops = routed.maxForwards();
        return hops.isPresent() ? Math.max(0, hops.getAsInt() - 1) : 70;
    }

    /**
     * The flow of a registered contact while it is open (RFC 5626: back over the connection or
     * NAT binding the REGISTER came on); else null: the transaction layer locates the first
     * Route (loose) or the Request-URI with RFC 3263 and fails over through what it finds
     * (§4.3), and names the transport each attempt leaves on in the Record-Route it adds then
     * (TransportLayer#prepareLocated).
     */
    private Destination nextHop(Flow flow) {
        if (flow != null && transport.isOpen(flow)) {
            return Destination.of(flow.protocol(), flow.remote());
        }
        return null;
    }
}
