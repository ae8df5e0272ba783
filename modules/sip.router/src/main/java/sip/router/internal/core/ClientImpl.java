package sip.router.internal.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.router.Client;
import sip.router.ClientTransaction;
import sip.router.Destination;

/**
 * The {@link Client}: fills in what RFC 3261 §8.1.1 makes mandatory, builds the ACK for a 2xx
 * (§13.2.2.4), and hands everything to the transaction layer through {@link Outbound}.
 */
public final class ClientImpl implements Client {

    private static final int MAX_FORWARDS = 70;

    private final String name;
    private final Supplier<NameAddress> identity;
    private final Supplier<String> host;
    private final Outbound outbound;
    /** Answers 401/407 challenges when set (UserAgent.Builder.credentials); null for none. */
    private final sip.router.auth.CredentialsProvider credentials;
    private volatile sip.router.internal.dialog.Dialogs dialogs;

    /**
     * @param name the {@code User-Agent} value added to requests without one
     * @param identity the From of new requests (read on every {@link #newRequest}: it may follow
     *     the listeners)
     * @param host the host Call-IDs are made unique with
     * @param outbound where requests go
     */
    public ClientImpl(String name, Supplier<NameAddress> identity, Supplier<String> host, Outbound outbound) {
        this(name, identity, host, outbound, null);
    }

    /** @param credentials answers 401/407 challenges (see {@link AnsweredTransaction}); null for none */
    public ClientImpl(String name, Supplier<NameAddress> identity, Supplier<String> host, Outbound outbound,
                      sip.router.auth.CredentialsProvider credentials) {
        this.credentials = credentials;
        this.name = Objects.requireNonNull(name, "name");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.host = Objects.requireNonNull(host, "host");
        this.outbound = Objects.requireNonNull(outbound, "outbound");
    }

    @Override
    public SipRequest.Builder newRequest(Method method, Uri target) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        SipRequest.Builder b = SipRequest.builder(method, target)
                .from(identity.get().withTag(RandomTokens.tag()))
                .to(NameAddress.of(target))
                .callId(RandomTokens.callId(host.get()))
                .cseq(1)
                .maxForwards(MAX_FORWARDS)
                // request() would add it anyway: here it saves rebuilding the request there.
                .setHeader(StandardHeader.USER_AGENT, name);
        // No Contact here: the transport layer adds one at send time (§8.1.1.8), from the same
        // host and port as the Via it stamps, which are not known before the request is routed.
        return b;
    }

    @Override
    public ClientTransaction request(SipRequest request) {
        return request(request, null);
    }

    @Override
    public ClientTransaction request(SipRequest request, Destination destination) {
        Objects.requireNonNull(request, "request");
        if (request.method().equals(Method.ACK)) {
            throw new IllegalArgumentException(
                    "ACK is not sent in a client transaction: use Client.ack(invite, ok) for a 2xx, or sendStateless");
        }
        if (request.method().equals(Method.CANCEL)) {
            throw new IllegalArgumentException("CANCEL is sent by ClientTransaction.cancel() of the INVITE");
        }
        SipRequest completed = complete(request);
        if (credentials == null) {
            return outbound.sendRequest(completed, destination);
        }
        return AnsweredTransaction.send(completed, credentials, r -> outbound.sendRequest(r, destination));
    }

    /**
     * {@link #request(SipRequest)} for the dialog layer: a retry answering a 401/407 takes its
     * CSeq from {@code nextCSeq} (the dialog's next number, §12.2.1.1) instead of the sent one
     * plus one, so no other request of the dialog can be given the same number meanwhile.
     */
    public ClientTransaction requestInDialog(SipRequest request, java.util.function.LongSupplier nextCSeq) {
        Objects.requireNonNull(nextCSeq, "nextCSeq");
        SipRequest completed = complete(request);
        if (credentials == null || request.method().equals(Method.ACK) || request.method().equals(Method.CANCEL)) {
            return request(request);
        }
        // The first attempt is the request itself; every other one is a retry (the digest
        // response does not cover the CSeq, so renumbering keeps the credentials valid).
        return AnsweredTransaction.send(completed, credentials, r -> outbound.sendRequest(
                r == completed ? r : r.toBuilder().cseq(nextCSeq.getAsLong()).build(), null));
    }

    /** Adds a From tag, Max-Forwards and User-Agent where missing; an untouched request is kept as is. */
    SipRequest complete(SipRequest request) {
        boolean tag = request.fromTag() == null;
        boolean hops = !request.hasHeader(StandardHeader.MAX_FORWARDS);
        boolean agent = !request.hasHeader(StandardHeader.USER_AGENT);
        if (!tag && !hops && !agent) {
            return request;
        }
        SipRequest.Builder b = request.toBuilder();
        if (tag) {
            b.from(request.from().withTag(RandomTokens.tag()));
        }
        if (hops) {
            b.maxForwards(MAX_FORWARDS);
        }
        if (agent) {
            b.setHeader(StandardHeader.USER_AGENT, name);
        }
        return b.build();
    }

    @Override
    public SipResponse send(SipRequest request) throws InterruptedException {
        try {
            return request(request).response().get();
        } catch (ExecutionException e) {
            // The contract says the future always completes normally; this is a layer bug.
            throw new IllegalStateException("client transaction failed without a response", e.getCause());
        }
    }

    @Override
    public SipRequest ack(SipRequest invite, SipResponse ok) throws IOException {
        return (SipRequest) outbound.sendStateless(ackFor(invite, ok).build());
    }

    @Override
    public SipRequest.Builder ackFor(SipRequest invite, SipResponse ok) {
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(ok, "ok");
        if (!invite.method().equals(Method.INVITE)) {
            throw new IllegalArgumentException("ack() answers an INVITE, not " + invite.method());
        }
        if (ok.statusCode() / 100 != 2) {
            throw new IllegalArgumentException("ack() is for 2xx responses; the INVITE transaction ACKs "
                    + ok.statusCode() + " itself");
        }
        if (!ok.callId().equals(invite.callId()) || ok.cseq().sequence() != invite.cseq().sequence()) {
            throw new IllegalArgumentException("the response does not answer this INVITE (Call-ID/CSeq differ)");
        }
        // §12.1.2: the remote target is the 2xx's Contact; a peer that sent none gets the
        // Request-URI the INVITE reached it at.
        Uri target = invite.requestUri();
        for (Contact c : ok.contacts()) {
            if (!c.isWildcard()) {
                target = c.uri();
                break;
            }
        }
        List<NameAddress> routes = new ArrayList<>(ok.all(HeaderType.RECORD_ROUTE));
        Collections.reverse(routes);
        // §12.2.1.1: a strict router (no lr) as first hop takes the Request-URI, the remote
        // target goes last in the Route set.
        if (!routes.isEmpty() && routes.get(0).uri() instanceof SipUri first && !first.isLooseRouting()) {
            routes.remove(0);
            routes.add(NameAddress.of(target));
            target = first;
        }
        SipRequest.Builder b = SipRequest.builder(Method.ACK, target)
                .from(invite.from())
                .to(ok.to())
                .callId(invite.callId())
                .cseq(invite.cseq().sequence())
                .maxForwards(MAX_FORWARDS);
        for (NameAddress r : routes) {
            b.add(HeaderType.ROUTE, r);
        }
        // §13.2.2.4 / §22: the ACK carries the INVITE's credentials.
        for (StandardHeader h : List.of(StandardHeader.AUTHORIZATION, StandardHeader.PROXY_AUTHORIZATION)) {
            for (String v : invite.headerValues(h)) {
                b.addHeader(h, v);
            }
        }
        return b.setHeader(StandardHeader.USER_AGENT, name);
    }

    /** The dialog layer {@link #invite} hands INVITEs to; set once by the user agent. */
    public void dialogs(sip.router.internal.dialog.Dialogs dialogs) {
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
    }

    @Override
    public sip.router.ClientDialog invite(SipRequest invite,
                                          java.util.function.BiConsumer<SipResponse, SipRequest.Builder> beforeAck) {
        sip.router.internal.dialog.Dialogs d = dialogs;
        if (d == null) {
            throw new IllegalStateException("this client has no dialog layer");
        }
        return d.invite(invite, beforeAck);
    }

    @Override
    public void sendStateless(SipMessage message) throws IOException {
        outbound.sendStateless(Objects.requireNonNull(message, "message"));
    }
}
