package sip.router.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import sip.message.Uri;
import sip.router.UserAgent;

/**
 * A stateful proxy (RFC 3261 §16) on a {@link UserAgent}: from {@link Builder#build()} on, it
 * receives every request the agent receives, in place of the agent's {@link sip.router.Server}
 * handlers, until {@link #close()}.
 *
 * <pre>{@code
 * try (UserAgent ua = UserAgent.newBuilder().build();
 *      Proxy proxy = Proxy.newBuilder(ua).build()) {
 *     proxy.onRequest(req -> proxy.relay(req, SipUri.parse("sip:bob@10.0.0.2:5060")));
 *     ua.listen("udp", "127.0.0.1:5060");
 *     ...
 * }
 * }</pre>
 *
 * <p>What happens to a request, in order:
 * <ol>
 * <li>Validation (§16.3), answered without the handler: {@code 400} (syntax, a repeated
 *     single header), {@code 416} (a Request-URI scheme other than sip/sips/tel), {@code 483}
 *     ({@code Max-Forwards: 0}), {@code 482} (a loop: the request carries a Via of ours whose
 *     branch ends in the hash of this very request — a spiral, the same request coming back with
 *     another Request-URI or Route, passes, as RFC 5393 describes), {@code 420} with
 *     {@code Unsupported} ({@code Proxy-Require} naming a tag not in {@link Builder#supported}).
 *     Unlike a UAS, a proxy answers no {@code 405}, {@code 415} or {@code 420} for {@code Require}.</li>
 * <li>Route processing (§16.4): Route values naming this proxy (a listener's address and port,
 *     or the configured host name) are removed from the top; a Request-URI naming this proxy
 *     where a Route is left (the previous hop was a strict router) is replaced by the last
 *     Route value.</li>
 * <li>A request with a To tag whose top Route named this proxy is inside a dialog this proxy
 *     record-routed: it is relayed to the next hop by its remaining Route set (or Request-URI)
 *     without the handler. Every other request goes to the {@link ProxyHandler}; without one set,
 *     requests are relayed to their Request-URI.</li>
 * </ol>
 * ACK: the ACK of a non-2xx is absorbed by its transaction; any other ACK whose Route named this
 * proxy, or whose Request-URI is not this proxy, is forwarded statelessly (§16.11). CANCEL: the
 * transaction layer answers {@code 200}; every pending branch of the INVITE is cancelled, and the
 * INVITE gets the {@code 487} of a branch, or a local {@code 487} when no branch had a
 * provisional response (§16.10). A 2xx matching no transaction any more (a retransmission after
 * the INVITE's transactions ended) is forwarded statelessly to its next Via (RFC 6026).
 *
 * <p>Responses (§16.7): {@code 100} is absorbed; other provisional responses and every 2xx of
 * every branch go upstream at once (a forked INVITE may get several 2xx, with different To
 * tags); a 2xx or a 6xx cancels the pending branches; otherwise the best final response goes
 * upstream once every branch ended (6xx, else the lowest class; among 4xx, 401, 407, 415, 420
 * and 484 first; a 401/407 carrying the challenges of all 401/407 responses; a 503 sent as
 * {@code 500}; a {@code 408} when no branch answered at all).
 *
 * <p>Thread-safe. Every context ends: Timer C bounds how long a branch waits for its final
 * response, and each transaction its own lifetime; {@link #stats()} returns to zero live contexts
 * and branches when traffic stops.
 */
public sealed interface Proxy extends AutoCloseable permits sip.router.internal.proxy.ProxyImpl {

    /**
     * A builder for a proxy on {@code userAgent}.
     *
     * @throws IllegalArgumentException if {@code userAgent} is not one built by
     *     {@link UserAgent#newBuilder()}
     */
    static Builder newBuilder(UserAgent userAgent) {
        return new Builder(userAgent);
    }

    UserAgent userAgent();

    /** Sets the routing logic (replacing any before). Default: relay to the Request-URI. */
    Proxy onRequest(ProxyHandler handler);

    /**
     * Relays {@code request} to {@code targets} with {@link RelayOptions#defaults()}.
     *
     * @see #relay(ProxyRequest, List, RelayOptions)
     */
    CompletableFuture<RelayOutcome> relay(ProxyRequest request, Uri... targets);

    /**
     * Relays {@code request} to {@code targets}, one branch each, as {@code options} say (RFC 3261
     * §16.6): per branch a copy with the target as Request-URI, the target's path as Route values
     * on top, {@code Max-Forwards} decremented ({@code 70} when absent), a {@code Record-Route}
     * when asked, strict-router Route rewriting, a Via with a fresh branch and this request's
     * loop-detection hash, sent in a client transaction of its own. Never blocks on the network:
     * branches are started on virtual threads.
     *
     * @return completes (on a virtual thread) once the final response went upstream, or when
     *     none can ({@link RelayOutcome}); never exceptionally. Branches may live on after that
     *     (a forked INVITE's other 2xx are still forwarded).
     * @throws IllegalStateException if {@code request} was relayed already
     * @throws IllegalArgumentException if {@code request} is not one of this proxy's
     */
    CompletableFuture<RelayOutcome> relay(ProxyRequest request, List<Target> targets, RelayOptions options);

    ProxyStats stats();

    /**
     * Stops receiving requests: from now on they go to the user agent's {@link sip.router.Server}
     * handlers again. Live contexts run to their end. Idempotent. Closing the user agent closes
     * everything.
     */
    @Override
    void close();

    /** Settings of a {@link Proxy}; each default is stated once, here. */
    final class Builder {
        final UserAgent userAgent;
        boolean recordRoute = true;
        Duration timerC = Duration.ofMinutes(3);
        int maxContexts = 10_000;
        boolean loopDetection = true;
        List<String> supported = List.of();

        Builder(UserAgent userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        }

        /**
         * Whether relays Record-Route unless their {@link RelayOptions} say otherwise. Default on.
         */
        public Builder recordRoute(boolean on) {
            this.recordRoute = on;
            return this;
        }

        /**
         * Timer C (RFC 3261 §16.6 item 11): how long an INVITE branch may go without a final
         * response, restarted by each provisional response above 100. When it fires, a branch
         * with such a provisional response is cancelled (and ends with the {@code 487}, or a
         * local {@code 408} 64×T1 later); one without is ended with a local {@code 408}. Default
         * 3 min.
         *
         * @throws IllegalArgumentException if under 3 minutes (the RFC's minimum)
         */
        public Builder timerC(Duration timerC) {
            Objects.requireNonNull(timerC, "timerC");
            if (timerC.compareTo(Duration.ofMinutes(3)) < 0) {
                throw new IllegalArgumentException("Timer C must be at least 3 minutes: " + timerC);
            }
            this.timerC = timerC;
            return this;
        }

        /**
         * Live contexts (relays not finished) beyond which new relays are answered {@code 503}
         * with the user agent's {@code Retry-After}. Default 10,000.
         */
        public Builder maxContexts(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxContexts must be at least 1: " + max);
            }
            this.maxContexts = max;
            return this;
        }

        /** Whether loops are answered {@code 482} (RFC 3261 §16.3 item 4). Default on. */
        public Builder loopDetection(boolean on) {
            this.loopDetection = on;
            return this;
        }

        /**
         * The option tags this proxy supports in {@code Proxy-Require}; any other is answered
         * {@code 420} with {@code Unsupported}. Default none. Replaces the list.
         *
         * @throws IllegalArgumentException if a tag is not a token
         */
        public Builder supported(String... optionTags) {
            List<String> tags = new ArrayList<>();
            for (String t : optionTags) {
                if (t == null || t.isEmpty() || !t.chars().allMatch(Builder::isTokenChar)) {
                    throw new IllegalArgumentException("an option tag must be a token: '" + t + "'");
                }
                tags.add(t);
            }
            this.supported = List.copyOf(tags);
            return this;
        }

        /**
         * Builds the proxy and installs it on the user agent.
         *
         * @throws IllegalStateException if the user agent has a live proxy already, or is closed
         */
        public Proxy build() {
            return sip.router.internal.proxy.ProxyImpl.install(new sip.router.internal.proxy.ProxyConfig(
                    userAgent, recordRoute, timerC, maxContexts, loopDetection, supported));
        }

        private static boolean isTokenChar(int c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!%*_+`'~".indexOf(c) >= 0;
        }
    }
}
