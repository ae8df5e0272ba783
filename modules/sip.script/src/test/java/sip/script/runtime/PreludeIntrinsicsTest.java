package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sip.script.internal.runtime.HandlerReport;
import sip.script.internal.runtime.ScriptExecutor;

/**
 * Regression of a review finding — the prelude calls built-ins a script can replace (WeakMap.prototype.set,
 * Array.from, Object.freeze, ...) and exposes static unwrap() on its classes, so a script reaches
 * the raw host objects (JsExchange, JsRequest) and can break the runtime's bookkeeping of another
 * request.
 */
class PreludeIntrinsicsTest {

    @RegisterExtension
    final ScriptFixture fx = new ScriptFixture();

    @Test
    void scriptCannotCaptureTheHostExchangeOfARequest() throws Exception {
        Path s = fx.script("leak.js", """
                const origSet = WeakMap.prototype.set;
                let leaked = null;
                WeakMap.prototype.set = function (k, v) {
                  if (v !== undefined && v !== null && typeof v.settled === 'function') leaked = v;
                  return origSet.call(this, k, v);
                };
                export async function onRequest(req, sip) {
                  if (req.callId === 'b') {
                    const other = leaked;
                    if (other !== null) other.settled(null); // finish request a's handler from request b
                    sip.reply(200, other === null ? 'no leak' : 'leak');
                    return;
                  }
                  const r = await sip.relay(req, 'sip:a@10.0.0.1');
                  sip.store.set('after', r.status);
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request a = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "a"));
        CompletableFuture<HandlerReport> aReport = executor.handle(a);
        a.relay();
        FakeHosts.Request b = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "b"));
        executor.handle(b).get();
        String reason = b.response().status().reason();
        // One more request on the single worker: it runs after b's pending-check, a sync point.
        FakeHosts.Request c = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "b"));
        executor.handle(c).get();
        c.response();
        // Request a's relay has not completed: its handler (which still has code after the await) is not done.
        assertFalse(aReport.isDone(), "request a reported finished while its relay is pending (leak: " + reason + ")");
        assertEquals("no leak", reason);
    }

    @Test
    void requestClassDoesNotHandOutItsHostObject() throws Exception {
        Path s = fx.script("unwrap.js", """
                export function onRequest(req, sip) {
                  const C = req.constructor;
                  const statics = Object.getOwnPropertyNames(C).filter(n => typeof C[n] === 'function');
                  const raw = typeof C.unwrap === 'function' ? C.unwrap(req) : null;
                  let patched = 'patched';
                  try { C.prototype.setHeader = () => {}; } catch (e) { patched = e.constructor.name; }
                  sip.reply(200, (raw === null || raw === undefined ? 'hidden' : 'host ' + typeof raw.setHeader)
                    + ' [' + statics.join(',') + '] ' + patched + ' ' + Object.isFrozen(C));
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request r = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "u"));
        executor.handle(r).get();
        assertEquals("hidden [] TypeError true", r.response().status().reason());
    }

    @Test
    void replacedPromiseThenAndArrayFromSeeNoHostObject() throws Exception {
        Path s = fx.script("then.js", """
                const origThen = Promise.prototype.then;
                const origFrom = Array.from;
                let seen = [];
                Promise.prototype.then = function (a, b) {
                  if (typeof a === 'function') seen.push(a); // the binding's settle callbacks would land here
                  return origThen.call(this, a, b);
                };
                Array.from = function (x) { seen.push(x); return origFrom(x); };
                let savedSip = null;
                export async function onRequest(req, sip) {
                  if (req.callId === 'first') {
                    savedSip = sip;
                    await sip.relay(req, 'sip:a@10.0.0.1');
                    return;
                  }
                  req.vias; req.contacts;
                  let stale = 'accepted';
                  try { savedSip.reply(200); } catch (e) { stale = e.constructor.name + ': ' + e.message; }
                  sip.reply(200, seen.length + ' ' + stale);
                }
                """);
        ScriptExecutor executor = fx.open(s, FakeHosts.SETTINGS);
        FakeHosts.Request first = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "first"));
        CompletableFuture<HandlerReport> firstReport = executor.handle(first);
        FakeHosts.Relay relay = first.relay();
        relay.outcome().complete(new sip.router.proxy.RelayOutcome.NotSent("test"));
        assertEquals(HandlerReport.Outcome.ANSWERED, firstReport.get().outcome());
        FakeHosts.Request second = new FakeHosts.Request(FakeHosts.invite("sip:bob@example.test", "second"));
        executor.handle(second).get();
        // The binding's settle callbacks and host arrays never reach the replaced built-ins.
        assertEquals("0 TypeError: this request's handler has finished: its sip object cannot be used from another request",
                second.response().status().reason());
    }
}
