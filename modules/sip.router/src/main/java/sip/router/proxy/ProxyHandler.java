package sip.router.proxy;

/**
 * The routing logic of a {@link Proxy}: decides, per request, where it goes.
 *
 * <p>Called on a virtual thread of its own for each new request that passed validation (RFC 3261
 * §16.3) and is not relayed by the proxy itself (ACK, CANCEL, and requests inside a dialog this
 * proxy record-routed, see {@link Proxy}). The handler must answer the request or relay it,
 * before returning or later from any thread; one that does neither is bounded by the user agent's
 * handler timeouts ({@code 408} for an INVITE after {@code inviteHandlerTimeout}, {@code 500}
 * otherwise after {@code handlerTimeout}). An exception escaping it answers {@code 500} (unless
 * answered or relayed already) and is logged.
 */
@FunctionalInterface
public interface ProxyHandler {

    void handle(ProxyRequest request) throws Exception;
}
