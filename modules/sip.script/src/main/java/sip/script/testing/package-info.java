/**
 * {@link sip.script.testing.ScriptTester}: unit tests of routing scripts, offline. A test loads a
 * script, sends it synthetic requests ({@link sip.script.testing.SyntheticRequest}, a
 * {@link sip.message.SipRequest} or raw text) and checks the {@link sip.script.testing.Outcome}:
 * replied with a status, relayed to targets with Record-Route, logged, failed. Assertions throw
 * {@link java.lang.AssertionError}, so any test framework reports them; no dependency on one.
 *
 * <pre>{@code
 * @Test
 * void callsGoToTheRegisteredPhone() {
 *     try (ScriptTester t = ScriptTester.load(Path.of("examples/proxy.js"))) {
 *         t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060")).assertReplied(200);
 *         t.send(t.invite("sip:alice@example.test")).assertRelayed().to("sip:alice@10.0.0.2:5060").withRecordRoute();
 *         t.onRelay(target -> 503);                       // every branch now answers 503
 *         t.send(t.invite("sip:alice@example.test")).assertFinal(500);
 *     }
 * }
 * }</pre>
 *
 * <p>What is real and what is simulated: the script runs in the same JS binding, sandbox and
 * statement limit as under {@code parley run}; {@code sip.registrar.save}, {@code sip.location},
 * {@code sip.auth.check} and {@code sip.store} are the runtime's own, on a virtual clock. The
 * network is not: a relay's branches answer at once with the status {@link
 * sip.script.testing.ScriptTester#onRelay} gives (no provisional responses, no CANCEL on the
 * wire), and the request each branch would carry is built as a proxy builds it
 * ({@link sip.script.testing.Relay.Branch#request()}). A Promise continuation of a relay the
 * handler did not await runs after {@code send} returns; await the relay in an {@code async}
 * handler to see its result within the outcome.
 */
package sip.script.testing;
