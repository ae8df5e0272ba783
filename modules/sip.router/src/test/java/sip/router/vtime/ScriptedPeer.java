package sip.router.vtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.router.VirtualScheduler;
import sip.transport.spi.Connection;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/**
 * The other side of a conversation, with no stack behind it: a bare {@code mem} or
 * {@code mem-stream} transport that records what arrives and sends exactly what the test tells it
 * to (never answers, answers 180 and stops, sends a 2xx three times, retransmits an INVITE...).
 * With manual delivery it receives on the test's thread, so what it saw is known as soon as
 * {@code deliverAll()} returns.
 */
final class ScriptedPeer implements InboundHandler, AutoCloseable {

    /** A message that arrived, when, and the connection to answer on. */
    record Arrival(Duration at, Connection connection, SipMessage message) {
    }

    static final String TO_TAG = "peer-tag";

    private final VirtualScheduler clock;
    private final Transport transport;
    private final String viaTransport;
    final InetSocketAddress address;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicLong branches = new AtomicLong();

    ScriptedPeer(VirtualScheduler clock, String protocol, TransportConfig config, InetSocketAddress address)
            throws IOException {
        this.clock = clock;
        this.address = address;
        this.viaTransport = protocol.toUpperCase(Locale.ROOT);
        this.transport = Transports.open(protocol, config, this);
        transport.listen(address);
    }

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        arrivals.add(new Arrival(clock.elapsed(), connection, message));
    }

    /** The requests with {@code method} received so far, in order. */
    List<SipRequest> requests(Method method) {
        return arrivals.stream().map(Arrival::message)
                .filter(m -> m instanceof SipRequest r && r.method().equals(method))
                .map(SipRequest.class::cast).toList();
    }

    /** When each request with {@code method} arrived. */
    List<Duration> arrivalTimes(Method method) {
        return arrivals.stream()
                .filter(a -> a.message() instanceof SipRequest r && r.method().equals(method))
                .map(Arrival::at).toList();
    }

    SipRequest lastRequest(Method method) {
        List<SipRequest> all = requests(method);
        if (all.isEmpty()) {
            throw new AssertionError("the peer received no " + method + "; it got " + arrivals);
        }
        return all.getLast();
    }

    /** The responses received so far, in order. */
    List<SipResponse> responses() {
        return arrivals.stream().map(Arrival::message)
                .filter(SipResponse.class::isInstance).map(SipResponse.class::cast).toList();
    }

    /**
     * A request from this peer to {@code target}, with a fresh RFC 3261 branch and every mandatory
     * header (Contact too, so that INVITE validation has nothing to object to).
     */
    SipRequest newRequest(Method method, InetSocketAddress target) {
        SipUri uri = SipUri.of("bob", target.getAddress().getHostAddress(), target.getPort());
        SipUri self = SipUri.of("peer", address.getAddress().getHostAddress(), address.getPort());
        long n = branches.incrementAndGet();
        return SipRequest.builder(method, uri)
                .via(Via.of(viaTransport, address.getAddress().getHostAddress(), address.getPort(),
                        Via.MAGIC_COOKIE + "peer" + n + "x" + System.identityHashCode(this)))
                .from(NameAddress.of(self).withTag("from" + n))
                .to(NameAddress.of(uri))
                .callId("call" + n + "@" + address.getAddress().getHostAddress())
                .cseq(1)
                .maxForwards(70)
                .contact(Contact.of(self.withParameter("transport", transport.protocol().name())))
                .build();
    }

    /** The ACK for a non-2xx final {@code response} to {@code invite} (RFC 3261 §17.1.1.3). */
    static SipRequest ackFor(SipRequest invite, SipResponse response) {
        return SipRequest.builder(Method.ACK, invite.requestUri())
                .via(invite.topVia())
                .from(invite.from())
                .to(response.to())
                .callId(invite.callId())
                .set(HeaderType.CSEQ, new CSeq(invite.cseq().sequence(), Method.ACK))
                .maxForwards(70)
                .build();
    }

    /** The ACK for a 2xx (RFC 3261 §13.2.2.4): a transaction of its own, with a new branch. */
    SipRequest ackFor2xx(SipRequest invite, SipResponse ok) {
        return ackFor(invite, ok).toBuilder()
                .removeFirst(HeaderType.VIA)
                .via(Via.of(viaTransport, address.getAddress().getHostAddress(), address.getPort(),
                        Via.MAGIC_COOKIE + "ack" + branches.incrementAndGet()))
                .build();
    }

    /** The CANCEL for {@code invite} (RFC 3261 §9.1). */
    static SipRequest cancelFor(SipRequest invite) {
        return SipRequest.builder(Method.CANCEL, invite.requestUri())
                .via(invite.topVia())
                .from(invite.from())
                .to(invite.to())
                .callId(invite.callId())
                .set(HeaderType.CSEQ, new CSeq(invite.cseq().sequence(), Method.CANCEL))
                .maxForwards(70)
                .build();
    }

    /** A response to {@code request} with this peer's To tag (and a Contact for 2xx to INVITE). */
    SipResponse responseTo(SipRequest request, int code) {
        SipResponse.Builder b = SipResponse.builder(request, code);
        if (code > 100) {
            b.toTag(request.toTag() != null ? request.toTag() : TO_TAG);
        }
        if (code / 100 == 2 && request.method().equals(Method.INVITE)) {
            b.contact(Contact.of(SipUri.of("peer", address.getAddress().getHostAddress(), address.getPort())
                    .withParameter("transport", transport.protocol().name())));
        }
        return b.build();
    }

    /** Answers {@code request} with {@code code}, on the connection the request came on. */
    SipResponse answer(SipRequest request, int code) {
        SipResponse response = responseTo(request, code);
        send(response, connectionOf(request));
        return response;
    }

    /** Sends {@code message} to {@code target} (a new or the existing flow). */
    void send(SipMessage message, InetSocketAddress target) {
        try {
            transport.connect(target).send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code message} on {@code connection}. */
    void send(SipMessage message, Connection connection) {
        try {
            connection.send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The connection {@code request} (or the latest copy of it) arrived on. */
    Connection connectionOf(SipRequest request) {
        for (Arrival a : arrivals.reversed()) {
            if (a.message() instanceof SipRequest r && r.topVia().branch().equals(request.topVia().branch())) {
                return a.connection();
            }
        }
        throw new AssertionError("the peer never received " + request.method() + " " + request.topVia());
    }

    @Override
    public void close() {
        transport.close();
    }
}
