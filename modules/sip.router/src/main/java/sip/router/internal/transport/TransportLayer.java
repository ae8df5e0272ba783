package sip.router.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.Contact;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.Destination;
import sip.router.internal.Counters;
import sip.router.internal.Settings;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Flow;
import sip.transport.spi.Listener;
import sip.transport.spi.NoTransportProviderException;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;
import sip.transport.spi.Transports;

/**
 * The transport layer of RFC 3261 §18 and RFC 3581 over the transport SPI: opens one
 * {@link sip.transport.spi.Transport} per protocol on first listen or send, parses nothing itself
 * (transports deliver parsed messages), stamps and routes requests, routes responses, answers
 * malformed requests statelessly, and logs every message at DEBUG on the
 * {@code sip.router.messages} logger.
 *
 * <p>Thread-safe. Failures to send are counted ({@link Counters#transportErrors}) and logged, never
 * fatal to a listener. The connections in what {@link #prepare} and {@link #sendResponse} return
 * log every message sent on them, whoever sends it; {@link #send} and {@link #resend} also count
 * a failure, for callers that do not count their own.
 */
public final class TransportLayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransportLayer.class);
    private static final String UDP = "udp";
    private static final String TCP = "tcp";
    /**
     * The Record-Route URI parameter of a proxy's flow token (the flow the URI faces, for a peer
     * reached only over it): kept to the URI it was put on.
     */
    public static final String FLOW_TOKEN_PARAMETER = "pf";

    private final Settings settings;
    private final Counters counters;
    private final LocalVias vias;
    private final InboundRouter router;
    private final Set<String> protocols;
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    /** The settings transports open with: the agent's, changed only before the first opens. */
    private volatile TransportConfig transportConfig;
    private final LocalRoutes routes = new LocalRoutes();
    /** Every listener opened, in creation order (the transports' own lists are per protocol). */
    private final List<Listener> opened = new CopyOnWriteArrayList<>();
    private final String contactUser;
    /**
     * Open WebSocket connections by the peer's address: how a request reaches a WebSocket client
     * over the connection it opened, on any listener, wildcard ones included (WSS reuses only
     * connections it opened itself, as TLS does). One entry per open connection, gone with it.
     */
    private final WebSocketConnections webSocketConnections = new WebSocketConnections();
    private final UdpRetry udpRetry = new UdpRetry();
    private boolean closed; // guarded by transports

    public TransportLayer(Settings settings, InboundSink sink, Counters counters) {
        this.settings = settings;
        this.transportConfig = settings.transportConfig();
        this.counters = counters;
        this.vias = new LocalVias(settings.hostName());
        this.router = new InboundRouter(this, sink, counters, vias);
        this.protocols = providerProtocols();
        this.contactUser = LocalContact.userOf(settings.identity());
    }

    /** Binds a listener for {@code protocol}, opening that transport on first use. */
    public Listener listen(String protocol, InetSocketAddress local) throws IOException {
        // NoTransportProviderException propagates here: UserAgent.listen documents it.
        Listener l = open(protocol).listen(local);
        opened.add(l);
        return l;
    }

    /** The open listeners, in the order they were created. */
    public List<Listener> listeners() {
        List<Listener> all = new ArrayList<>();
        for (Listener l : opened) {
            if (l.isOpen()) {
                all.add(l);
            }
        }
        return List.copyOf(all);
    }

    /**
     * The Contact of a dialog-creating response to a request that arrived over {@code flow}
     * (RFC 3261 §12.1.1): the listener the flow belongs to (its port, not an outbound
     * connection's ephemeral one), a wildcard address replaced as for the Via sent-by — the
     * flow's own local address, else the address the OS uses to reach the peer — or the
     * configured host name; {@code sips} when the request was.
     */
    public SipUri contactFor(Flow flow, boolean sips) {
        Transport t = transports.get(flow.protocol().toLowerCase(Locale.ROOT));
        InetSocketAddress local = flow.local();
        InetSocketAddress listener = t == null ? null : listenerFor(t, local);
        InetSocketAddress advertised = listener != null ? listener : local;
        String host = advertisedHost(advertised, local, flow.remote().getAddress());
        return LocalContact.of(contactUser, host, advertised.getPort(), flow.protocol(), sips);
    }

    /**
     * The protocol names this layer can send on: those with an open transport or a provider.
     * Transports are only ever opened through the providers, so the providers' protocols are the
     * whole set; it is computed once.
     */
    public Set<String> protocols() {
        return protocols;
    }

    /**
     * Locates {@code request} (first Route if loose-routing, else Request-URI; or
     * {@code explicit}), picks the transport (explicit, {@code transport=}, sips ⇒ TLS, size over
     * the MTU on UDP ⇒ TCP, back to UDP when the peer refuses TCP), adds a top Via with a fresh branch and {@code rport}, and opens or
     * reuses the connection. Does not send. Destinations are tried in order; one whose connection
     * cannot be opened is skipped for the next (RFC 3263 §4.3).
     *
     * @throws UnresolvableException when no destination can be found
     * @throws IOException when the connection cannot be opened (to any destination)
     */
    public OutboundRequest prepare(SipRequest request, Destination explicit) throws IOException {
        return prepare(request, explicit, null);
    }

    /**
     * As {@link #prepare(SipRequest, Destination)}, the new Via's branch ending in
     * {@code "." + branchSuffix} when it is not null (a proxy's loop-detection hash, RFC 3261
     * §16.6 item 8); no automatic Contact is added then: a relayed request keeps its own.
     */
    public OutboundRequest prepare(SipRequest request, Destination explicit, String branchSuffix) throws IOException {
        List<Destination> destinations = explicit != null ? List.of(explicit) : locate(request);
        IOException failure = null;
        for (Destination d : destinations) {
            try {
                return prepareFor(request, d, branchSuffix, explicit == null);
            } catch (IOException e) {
                LOG.debug("cannot reach {}, trying the next destination: {}", d, e.toString());
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    /** Sends a prepared request (again): its bytes on its connection. */
    public void send(OutboundRequest request) throws IOException {
        send(request.connection(), request.bytes());
    }

    /** Sends a response (again, for a retransmission) on the connection it went out on before. */
    public void resend(OutboundResponse response) throws IOException {
        send(response.connection(), response.bytes());
    }

    /**
     * Sends a response per RFC 3261 §18.2.2 / RFC 3581 §4 given the connection its request
     * arrived on: that connection if reliable and open (else a new one to received/port), UDP to
     * received and rport (or sent-by port), maddr when present; never to a broadcast or
     * multicast address taken from a Via. {@code arrival} may be null: routed from the Via alone.
     *
     * <p>RFC 3263 §5: over a reliable transport, when the connection to {@code received} cannot
     * be opened either and the sent-by is a host name, the name is located
     * ({@link sip.router.ServerLocator#locateSentBy}) and its destinations tried in order, on a
     * virtual thread ({@link SentByConnection}): this returns at once, the response queued until
     * a connection opens; the connection returned is that one for retransmissions. A failure
     * there is counted and logged; it is thrown only to sends made after it is known (the lookup
     * usually ends after the caller has gone).
     *
     * @throws IOException when it cannot be sent (counted in {@link Counters#transportErrors})
     */
    public OutboundResponse sendResponse(SipResponse response, Connection arrival) throws IOException {
        Connection out;
        try {
            out = LoggedConnection.of(responseConnection(response, arrival), response);
        } catch (IOException e) {
            counters.transportErrors.increment();
            LOG.info("not sending {} response (Call-ID {}): {}", response.statusCode(),
                    response.header(sip.message.StandardHeader.CALL_ID).orElse("-"), e.getMessage());
            throw e;
        }
        byte[] bytes = response.toBytes();
        send(out, bytes);
        return new OutboundResponse(response, out, bytes);
    }

    /**
     * Sends a request (stamped and located as {@link #prepare}) or a response, no transaction.
     *
     * @return the message as sent: the request with its new top Via, or the response itself
     */
    public SipMessage sendStateless(SipMessage message, Connection arrivalOrNull) throws IOException {
        return switch (message) {
            case SipRequest request -> {
                OutboundRequest out = prepare(request, null);
                send(out);
                yield out.request();
            }
            case SipResponse response -> sendResponse(response, arrivalOrNull).response();
        };
    }

    /**
     * Stops accepting new connections: closes the listeners of reliable (connection-accepting)
     * protocols and keeps their connections open for replies. Unreliable listeners stay open until
     * {@link #close}: a UDP listener's socket is the flow itself, where ACKs, CANCELs,
     * retransmissions and responses arrive and client requests leave from, so closing it would cut
     * every transaction still running (new requests arriving on it are the layer above's to
     * answer, with a 503 while it drains).
     */
    public void stopListening() {
        for (Transport t : transports.values()) {
            for (Listener l : t.listeners()) {
                if (l.protocol().reliable()) {
                    l.close();
                }
            }
        }
    }

    /** Closes every transport. */
    @Override
    public void close() {
        List<Transport> open;
        synchronized (transports) {
            closed = true;
            open = List.copyOf(transports.values());
            transports.clear();
        }
        for (Transport t : open) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the {} transport failed", t.protocol().name(), e);
            }
        }
    }

    /** The transport of {@code protocol}, opened on first use; a missing provider is an IOException. */
    Transport transport(String protocol) throws IOException {
        try {
            return open(protocol);
        } catch (NoTransportProviderException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Changes the settings transports open with, before any opened (UserAgent.configureTransports).
     *
     * @throws IllegalStateException once a transport is open
     */
    public void configureTransports(UnaryOperator<TransportConfig> change) {
        synchronized (transports) {
            if (!transports.isEmpty()) {
                throw new IllegalStateException("transports already open: " + transports.keySet());
            }
            transportConfig = Objects.requireNonNull(change.apply(transportConfig), "transport config");
        }
    }

    private Transport open(String protocol) throws IOException {
        String name = protocol.toLowerCase(Locale.ROOT);
        Transport t = transports.get(name);
        if (t != null) {
            return t;
        }
        synchronized (transports) {
            if (closed) {
                throw new ConnectionClosedException(name, null, null);
            }
            t = transports.get(name);
            if (t == null) {
                t = Transports.open(name, transportConfig, router);
                transports.put(name, t);
            }
            return t;
        }
    }

    /**
     * Prepares {@code request} for {@code located}, one destination of what {@link #locate}
     * found, as {@link #prepare(SipRequest, Destination, String)} does for a destination it
     * located itself (a proxy branch's Record-Route then names the transport it leaves on);
     * no other destination is tried.
     */
    public OutboundRequest prepareLocated(SipRequest request, Destination located, String branchSuffix)
            throws IOException {
        return prepareFor(request, located, branchSuffix, true);
    }

    /**
     * The destinations of {@code request}: RFC 3263 §4 for the first Route (loose) or the
     * Request-URI, with the settings' locator, over this layer's protocols.
     *
     * @throws UnresolvableException when the locator fails or finds nothing usable
     */
    public List<Destination> locate(SipRequest request) throws IOException {
        SipUri target = target(request);
        if (HostAddresses.isInvalidName(target.host())) {
            // RFC 6761 §6.4: never looked up. A WebSocket client names itself so (RFC 7118 §5):
            // it is reached over the flow it opened, which whoever sends this must name.
            throw new UnresolvableException(target.toString(), "a *.invalid host is reached only over a"
                    + " connection it opened, and none is known (never looked up, RFC 6761 §6.4)");
        }
        List<Destination> found;
        try {
            found = settings.locator().locate(target, protocols);
        } catch (UnresolvableException e) {
            throw e;
        } catch (IOException e) {
            throw (IOException) new UnresolvableException(target.toString(), e.getMessage()).initCause(e);
        }
        if (found.isEmpty()) {
            throw new UnresolvableException(target.toString(), "no destination over " + protocols);
        }
        return found;
    }

    /** The first Route's URI when it is a loose router (RFC 3261 §8.1.2), else the Request-URI. */
    static SipUri target(SipRequest request) throws UnresolvableException {
        NameAddress route;
        try {
            route = request.first(sip.message.HeaderType.ROUTE).orElse(null);
        } catch (SipParseException e) {
            throw new UnresolvableException("Route", e.getMessage());
        }
        if (route != null && route.uri() instanceof SipUri uri && uri.isLooseRouting()) {
            return uri;
        }
        if (request.requestUri() instanceof SipUri uri) {
            return uri;
        }
        throw new UnresolvableException(request.requestUri().toString(), "not a sip: or sips: URI and no Route");
    }

    /**
     * One destination: connect, stamp; a UDP request over the MTU goes over TCP (§18.1.1) when
     * this layer has TCP, and back to UDP, at its size, when the peer refuses the TCP connection
     * ({@link UdpRetry} says which failures count); a TCP connect that times out fails this
     * destination instead.
     */
    private OutboundRequest prepareFor(SipRequest request, Destination d, String branchSuffix, boolean locatedHere)
            throws IOException {
        Transport t = transport(d.protocol());
        // A proxy branch whose next hop only this layer found: its Record-Route was chosen
        // without knowing the transport it leaves on.
        SipRequest routed = branchSuffix != null && locatedHere ? recordRouteOver(d.protocol(), request, d.address())
                : request;
        Connection connection = connectionTo(t, d);
        if (!connection.protocol().equals(t.protocol())) {
            t = transport(connection.protocol().name()); // a ws destination over the WSS connection open to it
        }
        OutboundRequest out = stamp(routed, d, t, connection, t, branchSuffix);
        if (out.bytes().length <= transportConfig.mtu() || !t.protocol().name().equals(UDP)
                || !protocols.contains(TCP)) {
            return out; // without TCP here, the UDP transport refuses it at send: logged as a failure
        }
        Transport tcp = transport(TCP);
        Connection c;
        try {
            c = tcp.connect(d.address(), d.serverName());
        } catch (IOException e) {
            if (!UdpRetry.applies(e)) {
                throw e;
            }
            udpRetry.retrying(d.address(), out.bytes().length, e);
            return new OutboundRequest(out.request(), out.destination(),
                    LoggedConnection.aboveMtu(connection, out.request()), out.bytes());
        }
        SipRequest moved = branchSuffix == null ? request : recordRouteOver(TCP, routed, d.address());
        return stamp(moved, new Destination(TCP, d.address(), d.serverName()), tcp, c, t, branchSuffix);
    }

    /**
     * The connection to {@code d}. For WebSocket, first an open one to that address: one a client
     * opened to a listener of ours (a WebSocket client accepts none, RFC 7118 §5, and a WSS
     * transport reuses only connections it opened itself, as TLS does), for a destination named
     * by address; and for a {@code ws} destination also a WSS connection, whatever the name:
     * {@code transport=ws} names WS and WSS alike (RFC 7118 §5.2; this agent's own Record-Route
     * for a WSS listener reads {@code sip:...;transport=ws}), and TLS takes nothing from plain
     * WS. Never the reverse. Else the transport's {@code connect}.
     */
    private Connection connectionTo(Transport t, Destination d) throws IOException {
        if (isWebSocket(t.protocol())) {
            Connection c = webSocketConnections.find(d.address(), open -> {
                boolean same = open.protocol().equals(t.protocol()) && d.serverName() == null;
                boolean secured = !t.protocol().secure() && open.protocol().secure();
                return same || secured;
            });
            if (c != null) {
                return c;
            }
        }
        return t.connect(d.address(), d.serverName());
    }

    private static boolean isWebSocket(Protocol p) {
        return p.name().equals(Protocol.WS.name()) || p.name().equals(Protocol.WSS.name());
    }

    /** A connection opened (InboundRouter): a WebSocket one is remembered by its peer's address. */
    void opened(Connection c) {
        if (isWebSocket(c.protocol())) {
            webSocketConnections.opened(c);
        }
    }

    /** A connection closed (InboundRouter): forgotten. */
    void closed(Connection c) {
        if (isWebSocket(c.protocol())) {
            webSocketConnections.closed(c);
        }
    }

    /** The transport a URI of ours names: its parameter, else TLS for sips, else UDP (LocalContact). */
    private static String transportOf(SipUri u) {
        return u.transport() != null ? u.transport() : u.secure() ? "tls" : UDP;
    }

    /** Whether a URI of ours ({@link #transportOf}) names listeners of {@code protocol}. */
    private static boolean namesProtocol(SipUri u, String protocol) {
        return LocalContact.names(transportOf(u), protocol);
    }

    /**
     * A proxy's branch leaving on {@code protocol} to {@code peer}, neither known when its
     * Record-Route was chosen (the next hop located only here, or a move to TCP over the MTU,
     * §18.1.1): the downstream-facing Record-Route of ours must name the listener the request
     * actually leaves from, its transport and address family (RFC 5658). When the top
     * Record-Route names this agent and another listener than that one, it is replaced (a double
     * Record-Route, whose upstream-facing half may then serve both sides) or a new one is put
     * above it (a single one, which keeps facing upstream); its other parameters (the proxy's
     * token) are kept.
     */
    private SipRequest recordRouteOver(String protocol, SipRequest request, InetSocketAddress peer) {
        List<sip.message.NameAddress> rr = request.all(sip.message.HeaderType.RECORD_ROUTE);
        if (rr.isEmpty() || !(rr.getFirst().uri() instanceof SipUri top) || !isLocal(top)) {
            return request;
        }
        SipUri fresh = recordRouteFor(protocol, peer, top.secure());
        if (fresh == null || !namesProtocol(fresh, protocol)) {
            return request;
        }
        // A flow token names one side only (ProxyKeys.flowBack follows a token after the first
        // own Route): a Record-Route carrying one never serves both sides, even on one listener.
        if (sameListener(fresh, top) && !top.parameters().has(FLOW_TOKEN_PARAMETER)) {
            return request;
        }
        for (String name : top.parameters().names()) {
            // Not the flow token: it names the flow the top one faces, not the one this one will.
            if (!name.equalsIgnoreCase("transport") && !name.equalsIgnoreCase(FLOW_TOKEN_PARAMETER)
                    && !fresh.parameters().has(name)) {
                fresh = fresh.withParameter(name, top.parameters().value(name));
            }
        }
        boolean doubled = rr.size() > 1 && rr.get(1).uri() instanceof SipUri second && isLocal(second);
        SipRequest.Builder b = request.toBuilder();
        if (doubled) {
            b.removeFirst(sip.message.HeaderType.RECORD_ROUTE);
            if (rr.get(1).uri() instanceof SipUri second && sameListener(fresh, second)
                    && !second.parameters().has(FLOW_TOKEN_PARAMETER)) {
                return b.build(); // it came in on that listener: one Record-Route serves both sides now
            }
        }
        b.addFirst(sip.message.HeaderType.RECORD_ROUTE, sip.message.NameAddress.of(fresh));
        return b.build();
    }

    /** Whether two URIs of ours name the same listener: transport, host and port. */
    private static boolean sameListener(SipUri a, SipUri b) {
        return transportOf(a).equalsIgnoreCase(transportOf(b)) && a.host().equalsIgnoreCase(b.host())
                && a.portIfSet().equals(b.portIfSet());
    }

    /**
     * Adds the top Via. Sent-by: the configured host name, else the address of a listener of the
     * protocol and the destination's address family (replies and new connections come back to
     * it), else the connection's own local address. {@code located} is the transport of the
     * destination as located, before an over-the-MTU move to TCP.
     */
    private OutboundRequest stamp(SipRequest request, Destination d, Transport t, Connection c, Transport located,
                                  String branchSuffix) {
        InetSocketAddress local = c.localAddress();
        InetSocketAddress listener = listenerFor(t, local);
        InetSocketAddress sentBy = listener != null ? listener : local;
        String host = advertisedHost(sentBy, local, d.address().getAddress());
        Via via = vias.stamp(t.protocol().viaToken(), host, sentBy.getPort(), listener != null, branchSuffix);
        SipRequest.Builder b = request.toBuilder().via(via);
        if (branchSuffix == null && LocalContact.wanted(request)) {
            // The automatic Contact (§8.1.1.8) says what the Via says when a listener of the
            // protocol stands behind it; otherwise the Via names an outbound connection's
            // ephemeral port, dead once it closes, so the Contact names a listener that lives on.
            SipUri contact;
            Listener other = listener != null ? null : contactListener(located, local);
            if (other != null) {
                InetSocketAddress a = other.localAddress();
                contact = LocalContact.of(contactUser, advertisedHost(a, local, d.address().getAddress()), a.getPort(),
                        other.protocol().name(), LocalContact.isSips(request));
            } else {
                contact = LocalContact.of(contactUser, host, sentBy.getPort(), t.protocol().name(),
                        LocalContact.isSips(request));
            }
            b.contact(Contact.of(contact));
        }
        SipRequest stamped = b.build();
        return new OutboundRequest(stamped, new Destination(t.protocol().name(), d.address(), d.serverName()),
                LoggedConnection.of(c, stamped), stamped.toBytes());
    }

    /**
     * The listener a Contact names when the sending protocol has none: one of the located
     * destination's protocol, else the first listener opened; of the connection's address family
     * when there is one (its wildcard is then replaced as for the Via); null when there are none.
     */
    private Listener contactListener(Transport located, InetSocketAddress local) {
        Listener any = null;
        for (List<Listener> candidates : List.of(located.listeners(), opened)) {
            for (Listener l : candidates) {
                if (!l.isOpen()) {
                    continue;
                }
                if (l.localAddress().getAddress().getClass() == local.getAddress().getClass()) {
                    return l;
                }
                any = any == null ? l : any;
            }
        }
        return any;
    }

    /**
     * The host this agent names for an address it advertises (Via sent-by, Contact): the
     * configured host name, else the address itself, a wildcard replaced by the connection's own
     * local address or, when that is a wildcard too, the address the OS uses to reach {@code peer}.
     */
    private String advertisedHost(InetSocketAddress advertised, InetSocketAddress local, InetAddress peer) {
        if (settings.hostName() != null) {
            return settings.hostName();
        }
        InetAddress ip = advertised.getAddress();
        if (ip.isAnyLocalAddress()) {
            ip = local.getAddress().isAnyLocalAddress() ? routes.sourceFor(peer) : local.getAddress();
        }
        return HostAddresses.viaHost(ip);
    }

    /**
     * The listener a connection with local address {@code local} belongs to: the same address
     * (UDP, and the socket itself), else one on the same port with that address or a wildcard (a
     * connection it accepted), else one of the same address family (an outbound connection).
     */
    private static InetSocketAddress listenerFor(Transport t, InetSocketAddress local) {
        InetSocketAddress samePort = null;
        InetSocketAddress sameFamily = null;
        for (Listener l : t.listeners()) {
            InetSocketAddress a = l.localAddress();
            if (a.equals(local)) {
                return a;
            }
            boolean family = a.getAddress().getClass() == local.getAddress().getClass();
            if (samePort == null && family && a.getPort() == local.getPort() && a.getAddress().isAnyLocalAddress()) {
                samePort = a;
            }
            if (sameFamily == null && family) {
                sameFamily = a;
            }
        }
        return samePort != null ? samePort : sameFamily;
    }

    private Connection responseConnection(SipResponse response, Connection arrival) throws IOException {
        Via via;
        try {
            via = response.topVia();
        } catch (SipParseException e) {
            if (arrival == null) {
                throw new IOException("the response has no usable top Via: " + e.getMessage(), e);
            }
            // §18.2.2 routes by the top Via, unreadable here (RFC 4475 badinv01, answered from
            // its raw fields): the request's source, at the sent-by port if the raw Via has one.
            return toSource(LoggedConnection.unwrap(arrival), MalformedAnswer.sentByPort(response));
        }
        arrival = arrival == null ? null : LoggedConnection.unwrap(arrival);
        if (arrival != null && arrival.isOpen()
                && (arrival.protocol().reliable() || via.hasRport() && via.maddr() == null)) {
            // Unreliable with rport: the receiving side stamped received/rport with the packet's
            // source (ReceivedStamp), which is the arrival flow's remote end, so the flow is the
            // route back out of the socket the request came in on, with nothing to parse; only
            // the source itself to check, as ResponseRoute checks what a Via names.
            refuseForbiddenSource(arrival);
            return arrival;
        }
        Transport t = transport(arrival != null ? arrival.protocol().name() : via.transport());
        Protocol protocol = t.protocol();
        InetSocketAddress target = ResponseRoute.target(via, protocol);
        if (arrival != null && arrival.isOpen() && target.equals(arrival.remoteAddress())) {
            return arrival; // UDP back out of the socket the request came in on
        }
        if (protocol.reliable() && reachedOnlyOverItsConnection(protocol, via)) {
            return openConnectionFrom(t, via, target);
        }
        // A new TLS connection checks the client's certificate against its sent-by name (§18.2.2).
        try {
            return t.connect(target, protocol.secure() ? ResponseRoute.serverName(via) : null);
        } catch (IOException e) {
            if (!protocol.reliable() || HostAddresses.literal(via.host()) != null) {
                throw e;
            }
            // RFC 3263 §5: the sent-by name's servers, found and connected off this thread.
            LOG.debug("no connection to received {} for a response: {}; locating sent-by {}", target,
                    e.toString(), via.host());
            return SentByConnection.open(this, settings.locator(), counters, protocol, via, target, e);
        }
    }

    /**
     * A WebSocket client accepts no connection (RFC 7118 §5: it is the one that connects), and a
     * {@code *.invalid} sent-by names no host (RFC 6761 §6.4): neither may be connected to nor
     * looked up for a response.
     */
    private static boolean reachedOnlyOverItsConnection(Protocol protocol, Via via) {
        String name = protocol.name();
        return name.equals(Protocol.WS.name()) || name.equals(Protocol.WSS.name()) || HostAddresses.isInvalidName(via.host());
    }

    /**
     * The open connection from the client a response is for, found by {@code received} and
     * {@code rport} (else the sent-by port) on one of this transport's listeners; never a new one.
     */
    private Connection openConnectionFrom(Transport t, Via via, InetSocketAddress target) throws IOException {
        InetSocketAddress from = via.rport().isPresent() ? new InetSocketAddress(target.getAddress(), via.rport().getAsInt())
                : target;
        Connection ws = webSocketConnections.find(from, open -> open.protocol().equals(t.protocol()));
        if (ws != null) {
            return ws;
        }
        for (Listener l : t.listeners()) {
            java.util.Optional<Connection> c = t.find(new Flow(t.protocol().name(), l.localAddress(), from));
            if (c.isPresent()) {
                return c.get();
            }
        }
        throw new IOException("no open " + t.protocol().name() + " connection from " + from + " for a response to "
                + via.host() + ": such a client is reached only over the connection it opened (RFC 7118 §5),"
                + " never connected to or looked up");
    }

    private Connection toSource(Connection arrival, int port) throws IOException {
        refuseForbiddenSource(arrival);
        if (arrival.protocol().reliable() || port <= 0 || port == arrival.remoteAddress().getPort()) {
            return arrival;
        }
        return transport(arrival.protocol().name()).connect(
                new InetSocketAddress(arrival.remoteAddress().getAddress(), port));
    }

    /**
     * A datagram's source address is as forgeable as a Via (RFC 4475 §3.1.2.3): never answer a
     * multicast, broadcast or unspecified one.
     */
    private static void refuseForbiddenSource(Connection arrival) throws IOException {
        InetAddress source = arrival.remoteAddress().getAddress();
        if (HostAddresses.isForbiddenTarget(source)) {
            throw new IOException("refusing to send a response to " + source.getHostAddress()
                    + " (multicast, broadcast or unspecified), the source of its request");
        }
    }

    // ------------------------------------------------------------------ for the proxy (§16)

    /**
     * A Record-Route URI (RFC 3261 §16.6 item 4, with {@code lr}) naming this agent's listener of
     * {@code protocol} for the address family of {@code peer} (else any listener of that family,
     * else the first one); its host as a Via sent-by names it. Null when nothing listens.
     */
    public SipUri recordRouteFor(String protocol, InetSocketAddress peer, boolean sips) {
        Transport t = transports.get(protocol.toLowerCase(Locale.ROOT));
        Listener chosen = null;
        for (List<Listener> candidates : List.of(t == null ? List.<Listener>of() : t.listeners(), opened)) {
            for (Listener l : candidates) {
                if (l.isOpen() && l.localAddress().getAddress().getClass() == peer.getAddress().getClass()) {
                    chosen = l;
                    break;
                }
            }
            if (chosen != null) {
                break;
            }
        }
        if (chosen == null) {
            List<Listener> all = listeners();
            if (all.isEmpty()) {
                return null;
            }
            chosen = all.getFirst();
        }
        InetSocketAddress a = chosen.localAddress();
        String host = advertisedHost(a, a, peer.getAddress());
        return LocalContact.of(null, host, a.getPort(), chosen.protocol().name(), sips).withParameter("lr", null);
    }

    /**
     * The Record-Route URI for the side of a request that arrived over {@code flow}: the listener
     * the flow belongs to, as {@link #contactFor} names it, with {@code lr} and no user.
     */
    public SipUri recordRouteFor(Flow flow, boolean sips) {
        return contactFor(flow, sips).withUser(null).withParameter("lr", null);
    }

    /**
     * True when {@code uri} names this agent (RFC 3261 §16.4): its port (5060, 5061 for sips or
     * TLS, when absent) is a listener's — of the URI's {@code transport}, when it names one — and
     * its host the configured host name, the listener's address, or, for a wildcard listener, a
     * loopback address or one of this host's interfaces.
     */
    public boolean isLocal(SipUri uri) {
        String transport = uri.transport();
        int port = uri.portIfSet().orElse(defaultPort(uri));
        String host = uri.host();
        boolean named = settings.hostName() != null && settings.hostName().equalsIgnoreCase(host);
        InetAddress ip = named ? null : HostAddresses.literal(host);
        if (!named && ip == null) {
            return false;
        }
        for (Listener l : opened) {
            InetSocketAddress a = l.localAddress();
            if (!l.isOpen() || a.getPort() != port
                    || transport != null && !LocalContact.names(transport, l.protocol().name())) {
                continue;
            }
            if (named || a.getAddress().equals(ip) || a.getAddress().isAnyLocalAddress() && isOwnAddress(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The port a URI without one means: 5061 for sips or TLS, 443/80 for WebSocket (RFC 7118 §5.2), else 5060. */
    private static int defaultPort(SipUri uri) {
        String transport = uri.transport();
        if ("ws".equalsIgnoreCase(transport) || "wss".equalsIgnoreCase(transport)) {
            return uri.secure() || "wss".equalsIgnoreCase(transport) ? Protocol.WSS.defaultPort() : Protocol.WS.defaultPort();
        }
        return uri.secure() || "tls".equalsIgnoreCase(transport) ? 5061 : 5060;
    }

    /** Interface lookups are slow (a system call per address) and on the proxy's hot path. */
    private static final long OWN_ADDRESS_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private static final int OWN_ADDRESS_CACHE_MAX = 256;
    private final java.util.concurrent.ConcurrentHashMap<InetAddress, Boolean> ownAddresses =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long ownAddressesSince = System.nanoTime();

    /**
     * Whether {@code ip} is one of this host's addresses; answers are cached for 30 s (interfaces
     * come and go rarely), at most 256 of them, so a Route naming a new address is looked up
     * once, not once per request.
     */
    private boolean isOwnAddress(InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - ownAddressesSince > OWN_ADDRESS_TTL_NANOS || ownAddresses.size() >= OWN_ADDRESS_CACHE_MAX) {
            ownAddresses.clear();
            ownAddressesSince = now;
        }
        Boolean known = ownAddresses.get(ip);
        if (known != null) {
            return known;
        }
        boolean own;
        try {
            own = java.net.NetworkInterface.getByInetAddress(ip) != null;
        } catch (java.net.SocketException e) {
            own = false;
        }
        ownAddresses.put(ip, own);
        return own;
    }

    /** True when {@code flow} is still usable: its connection open, or for UDP its socket. */
    public boolean isOpen(Flow flow) {
        Transport t = transports.get(flow.protocol().toLowerCase(Locale.ROOT));
        return t != null && t.find(flow).isPresent();
    }

    /** Sends on a {@link LoggedConnection}, which logs; failures are counted here. */
    private void send(Connection c, byte[] bytes) throws IOException {
        try {
            c.send(bytes);
        } catch (IOException e) {
            counters.transportErrors.increment();
            LOG.info("sending over {} failed: {}", c.flow(), e.toString());
            throw e;
        }
    }

    /** Usual transports first, so "first available" choices are stable; then providers' order. */
    private static Set<String> providerProtocols() {
        Set<String> names = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        for (TransportProvider p : Transports.providers()) {
            for (Protocol protocol : p.protocols()) {
                all.add(protocol.name());
            }
        }
        for (String usual : List.of(UDP, TCP, "tls")) {
            if (all.contains(usual)) {
                names.add(usual);
            }
        }
        names.addAll(all);
        return Collections.unmodifiableSet(names);
    }
}
