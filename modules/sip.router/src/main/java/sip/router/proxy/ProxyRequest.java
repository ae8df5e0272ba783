package sip.router.proxy;

import sip.message.SipRequest;
import sip.router.ServerTransaction;
import sip.transport.spi.Flow;

/**
 * A request given to a {@link ProxyHandler}: validated (RFC 3261 §16.3) and route-processed
 * (§16.4), with the server transaction it arrived in. Thread-safe and immutable.
 *
 * <p>Answer it locally through {@link #transaction()} ({@code req.transaction().respond(404)},
 * or {@code registrar.handler().handle(req.transaction())}), or relay it with
 * {@link Proxy#relay}. The transaction is in the proxy's forwarding mode: it adds no To tag of
 * its own to forwarded responses and forwards every 2xx of a forked INVITE; a response built with
 * {@link ServerTransaction#responseBuilder} still carries a To tag, as a locally made final
 * response must. A CANCEL of an INVITE not relayed yet is answered {@code 487} by the proxy.
 */
public sealed interface ProxyRequest permits sip.router.internal.proxy.IncomingRequest {

    /**
     * The request to relay: as received, with this proxy's own Route values removed and, when
     * the previous hop was a strict router, the Request-URI taken back from the last Route value
     * (§16.4). Relaying builds each branch's copy from this.
     */
    SipRequest request();

    /** The server transaction: the request exactly as received, and where responses go. */
    ServerTransaction transaction();

    /** The flow the request arrived on. */
    Flow flow();

    /**
     * This request with {@code changed} to relay instead (headers the routing logic added,
     * removed or rewrote); the transaction stays the same.
     *
     * @throws IllegalArgumentException if {@code changed} is not the same request: its method,
     *     Call-ID, CSeq, From tag or top Via differ from {@link #request()}'s
     */
    ProxyRequest withRequest(SipRequest changed);
}
