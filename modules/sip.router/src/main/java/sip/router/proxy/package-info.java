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
 * </table>
 */
package sip.router.proxy;
