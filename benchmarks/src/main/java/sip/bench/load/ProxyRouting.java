package sip.bench.load;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.Destination;
import sip.router.RequestHandler;
import sip.router.UserAgent;
import sip.router.proxy.Proxy;
import sip.router.proxy.ProxyRequest;
import sip.router.proxy.ProxyStats;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.Target;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.LocationService;
import sip.router.registrar.Registrar;

/**
 * The routing of {@link LoadProxy}, in Java, as a script would write it: REGISTER to the
 * registrar; any other request relayed (record-routed, the proxy's default) to the contacts
 * registered for its Request-URI, else as {@link Unregistered} says. Requests inside a
 * record-routed dialog (the ACK and BYE of the benchmark's calls) never get here: the proxy
 * relays them by their Route set itself.
 */
final class ProxyRouting {

    /** What a request for an AoR with no registered contact gets. */
    enum Unregistered {
        /**
         * Relayed to the fixed UAS with the Request-URI unchanged (what Kamailio's
         * {@code proxy-native.cfg} does with {@code $du}): {@code proxy-load.sh}'s calls.
         */
        RELAY_TO_UAS,
        /**
         * Answered {@code 404}: exactly the logic of {@code examples/proxy.js} (with its 200 to an
         * OPTIONS for the proxy itself and 404 to a stray in-dialog request), the Java side (b) of
         * {@code script-load.sh}.
         */
        NOT_FOUND
    }

    private final Proxy proxy;
    private final RequestHandler registrar;
    private final LocationService location;
    private final RelayOptions toUas;
    private final Unregistered unregistered;

    ProxyRouting(UserAgent ua, Registrar registrar, LocationService location, InetSocketAddress uas,
                 Unregistered unregistered, int maxContexts) {
        this.registrar = registrar.handler();
        this.location = location;
        this.unregistered = unregistered;
        this.toUas = RelayOptions.newBuilder().destination(Destination.of("udp", uas)).build();
        this.proxy = Proxy.newBuilder(ua).maxContexts(maxContexts).build();
        proxy.onRequest(this::route);
    }

    private void route(ProxyRequest req) throws Exception {
        SipRequest request = req.request();
        if (request.method().equals(Method.REGISTER)) {
            registrar.handle(req.transaction());
            return;
        }
        if (unregistered == Unregistered.NOT_FOUND && answeredLikeProxyJs(req)) {
            return;
        }
        List<Binding> bindings = registered(request.requestUri());
        if (bindings.isEmpty()) {
            switch (unregistered) {
                case RELAY_TO_UAS -> proxy.relay(req, List.of(Target.of(request.requestUri())), toUas);
                case NOT_FOUND -> req.transaction().respond(404);
            }
            return;
        }
        List<Target> targets = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            targets.add(Target.of(b));
        }
        proxy.relay(req, targets, RelayOptions.defaults());
    }

    /**
     * The two answers {@code examples/proxy.js} gives before its lookup: 200 to an OPTIONS for the
     * proxy itself (no user part), 404 to an in-dialog request that reached the script (one this
     * proxy did not record-route). The benchmark's calls take neither path.
     */
    private static boolean answeredLikeProxyJs(ProxyRequest req) throws Exception {
        SipRequest request = req.request();
        if (request.method().equals(Method.OPTIONS) && request.requestUri() instanceof SipUri u && u.user() == null) {
            req.transaction().respond(200);
            return true;
        }
        if (req.inDialog()) {
            req.transaction().respond(404);
            return true;
        }
        return false;
    }

    private List<Binding> registered(Uri requestUri) {
        AddressOfRecord aor;
        try {
            aor = AddressOfRecord.of(requestUri);
        } catch (IllegalArgumentException notSip) {
            return List.of();
        }
        return location.lookup(aor);
    }

    /** Counters for the {@code stats} line, {@code name=value} pairs. */
    String stats() {
        ProxyStats s = proxy.stats();
        return String.format("contexts=%d branches=%d relayed=%d succeeded=%d relay_failed=%d proxy_overloaded=%d"
                        + " rejected=%d stateless_forwarded=%d",
                s.liveContexts(), s.liveBranches(), s.relayed(), s.succeeded(), s.failed(), s.overloaded(),
                s.rejected(), s.statelessForwarded());
    }

    void close() {
        proxy.close();
    }
}
