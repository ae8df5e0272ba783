package sip.router.proxy;

import java.util.List;
import java.util.Objects;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.registrar.Binding;
import sip.transport.spi.Flow;
import sip.transport.spi.Transports;

/**
 * Where a relay sends one branch: the new Request-URI, Route values to push in front of the
 * request's own (a registered contact's Path, RFC 3327), and the flow to reuse (RFC 5626).
 *
 * <p>The next hop of the branch is, in order: {@link RelayOptions.Builder#destination} when set;
 * {@code flow} when still open (the connection or NAT binding a REGISTER came over, whatever
 * the Route values say: they name the hops beyond it); else the first Route value when it is a
 * loose router, else the Request-URI, located with the user agent's
 * {@link sip.router.ServerLocator} (RFC 3263).
 *
 * @param uri the Request-URI of the branch
 * @param path Route values put on top of the request's Route header field, in this order
 * @param flow the flow to send over, or null for none
 */
public record Target(Uri uri, List<NameAddress> path, Flow flow) {

    public Target {
        Objects.requireNonNull(uri, "uri");
        path = List.copyOf(path);
    }

    /** A target with this Request-URI and nothing else. */
    public static Target of(Uri uri) {
        return new Target(uri, List.of(), null);
    }

    /**
     * Parses {@code uri} ({@code "sip:bob@10.0.0.2:5060"}).
     *
     * @throws sip.message.SipParseException if it is not a URI
     */
    public static Target parse(String uri) {
        return of(Uri.parse(uri));
    }

    /**
     * A registered contact: its URI, its Path as Route values, and the flow its REGISTER came over
     * when that flow is how the contact is reached: a connection (TCP, TLS, WebSocket: the client
     * may accept no other, RFC 5626 §3.3, RFC 7118 §5), a registration using SIP Outbound
     * ({@code reg-id} on the Contact or {@code ob} in its URI, RFC 5626), or a contact that names
     * no reachable host ({@code *.invalid}, as WebRTC clients send). A datagram registration
     * without those is reached at its Contact, as RFC 3261 §10 says: the REGISTER may come from
     * another address than the contact (a third-party registration, or a phone sending from a
     * port it does not listen on).
     */
    public static Target of(Binding binding) {
        Flow flow = binding.flow();
        return new Target(binding.uri(), binding.path(), flow != null && reachedOverFlow(binding, flow) ? flow : null);
    }

    private static boolean reachedOverFlow(Binding binding, Flow flow) {
        Uri uri = binding.uri();
        boolean outbound = binding.contact().parameters().has("reg-id")
                || (uri instanceof SipUri sip && sip.parameters().has("ob"));
        if (outbound || binding.reachedOnlyOverFlow()) {
            return true;
        }
        try {
            return Transports.protocol(flow.protocol()).reliable();
        } catch (RuntimeException e) {
            return true; // a transport no longer on the module path: the flow is all we know
        }
    }
}
