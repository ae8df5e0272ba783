/**
 * The stateful proxy of RFC 3261 §16: {@link sip.router.proxy.Proxy} turns a
 * {@link sip.router.UserAgent} into a proxy whose routing decisions a
 * {@link sip.router.proxy.ProxyHandler} makes per request — relay to one or more
 * {@link sip.router.proxy.Target}s with {@link sip.router.proxy.RelayOptions}, answer itself, or
 * hand a REGISTER to a {@link sip.router.registrar.Registrar}.
 *
 * <pre>{@code
 * Proxy proxy = Proxy.newBuilder(ua).build();
 * proxy.onRequest(req -> {
 *     if (req.request().method().equals(Method.REGISTER)) {
 *         registrar.handler().handle(req.transaction());
 *         return;
 *     }
 *     List<Target> targets = location.lookup(AddressOfRecord.of(req.request().requestUri()))
 *             .stream().map(Target::of).toList();
 *     if (targets.isEmpty()) {
 *         req.transaction().respond(404);
 *         return;
 *     }
 *     proxy.relay(req, targets, RelayOptions.newBuilder()
 *             .forking(Forking.SEQUENTIAL)
 *             .onBranchFailure((branch, response) -> List.of())   // or: more targets
 *             .build());
 * });
 * }</pre>
 *
 * <h2>Peers reached only over their connection</h2>
 * A WebSocket client (RFC 7118: a phone in a browser) accepts no connection and names itself by a
 * {@code *.invalid} host; so may any client. For such a peer the proxy puts a keyed flow token
 * (URI parameter {@code pf}) in the Record-Route facing it, which therefore differs from the one
 * facing the other side: two Record-Routes (RFC 5658), {@code sip:host:port;transport=ws} for
 * WS and WSS listeners alike (RFC 7118 §5.2, §8). In-dialog requests and ACKs towards the peer
 * then go over that connection; once it has closed they are answered {@code 430 Flow Failed}
 * (RFC 5626 §5.3). A {@code *.invalid} host is never looked up: a request for one with no known
 * connection fails at once ({@link sip.router.TransactionFailure.Unresolvable}). A registration's
 * connection is its binding's flow ({@link sip.router.proxy.Target#of(sip.router.registrar.Binding)});
 * {@link sip.router.registrar.Registrar#flowClosed} removes the binding when it closes.
 *
 * <h2>Timers and limits</h2>
 * <table>
 * <caption>Defaults, and what happens on breach</caption>
 * <tr><th>Setting</th><th>Default</th><th>On breach</th></tr>
 * <tr><td>Timer C ({@link sip.router.proxy.Proxy.Builder#timerC})</td><td>3 min, reset by each
 *     provisional response above 100</td><td>the branch is cancelled when it had a provisional
 *     response, else ended with a local {@code 408}</td></tr>
 * <tr><td>{@link sip.router.proxy.Proxy.Builder#maxContexts}</td><td>10,000 live
 *     contexts</td><td>new relays answered {@code 503} with {@code Retry-After}</td></tr>
 * <tr><td>{@code Max-Forwards}</td><td>70 added when absent</td><td>{@code 0} on arrival:
 *     {@code 483}</td></tr>
 * <tr><td>{@link sip.router.proxy.RelayOptions.Builder#branchTimeout}</td><td>none</td><td>the
 *     branch is cancelled and counts as a {@code 408}</td></tr>
 * <tr><td>{@code Max-Breadth} (RFC 5393)</td><td>60 when absent, shared by parallel
 *     branches</td><td>{@code 0} on arrival: {@code 440}; targets beyond the breadth left are
 *     not tried</td></tr>
 * <tr><td>{@link sip.router.proxy.RelayOptions.Builder#maxBranches}</td><td>60 per
 *     relay</td><td>further targets (given or added by a hook) are not tried</td></tr>
 * <tr><td>{@link sip.router.proxy.Proxy.Builder#relayHosts}</td><td>none</td><td>without a
 *     handler, requests for other hosts are answered {@code 403}</td></tr>
 * </table>
 */
package sip.router.proxy;
