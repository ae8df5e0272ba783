/**
 * The GraalJS routing runtime: {@link sip.script.ScriptRuntime} runs a JavaScript routing script
 * as the logic of a stateful proxy and registrar, {@link sip.script.Scripts#check} validates one.
 * The JS contract and the sandbox are described in the module's README.
 *
 * <h2>Limits</h2>
 * <table>
 * <caption>Defaults, and what happens on breach</caption>
 * <tr><th>Setting</th><th>Default</th><th>On breach</th></tr>
 * <tr><td>statements per handler call</td><td>1,000,000</td><td>{@code 500}, context replaced</td></tr>
 * <tr><td>wall clock per JS entry</td><td>2 s (checked every tenth of it, 5–100 ms)</td><td>{@code 500}, context replaced</td></tr>
 * <tr><td>module evaluation (load, reload, new context)</td><td>the larger of the deadline and 10 s</td><td>load error</td></tr>
 * <tr><td>queued requests per worker</td><td>1,000</td><td>{@code 503} with {@code Retry-After}</td></tr>
 * <tr><td>time a request waits in a worker's queue</td><td>the larger of 2 s and the wall clock per JS entry</td><td>{@code 503} with {@code Retry-After} instead of running the script</td></tr>
 * <tr><td>queued request whose server transaction ended (client gave up)</td><td>-</td><td>dropped, the script does not run</td></tr>
 * <tr><td>{@code sip.store} entries</td><td>100,000</td><td>{@code set} of a new key is a JS {@code RangeError}</td></tr>
 * <tr><td>{@code sip.store} key length</td><td>1,024 characters</td><td>JS {@code RangeError}</td></tr>
 * <tr><td>{@code sip.store} string value length</td><td>65,536 characters</td><td>JS {@code RangeError}</td></tr>
 * <tr><td>{@code sip.store} keys and string values in all</td><td>33,554,432 characters (64 MiB)</td><td>{@code set} that grows the total is a JS {@code RangeError}</td></tr>
 * <tr><td>{@code sip.store} TTL</td><td>none; a TTL beyond the clock's range ({@code Infinity}) means none</td><td>-</td></tr>
 * <tr><td>reload debounce (watch)</td><td>200 ms after the last change</td><td>-</td></tr>
 * </table>
 *
 * <h2>Sandbox</h2>
 * Scripts reach only members annotated {@code @HostAccess.Export}; no host class lookup, no
 * threads, no native access, no process, no environment, no other languages, no {@code load};
 * {@code import} reads files of the script's own directory only, read-only.
 *
 * <h2>Logging</h2>
 * Through slf4j: {@code parley.script} for {@code sip.log} and script errors (prefixed with
 * {@code file:line}); other loggers are named after their classes.
 */
module sip.script {
    requires transitive sip.router;
    requires org.graalvm.polyglot;
    requires org.slf4j;
    // parley run maps config.websocket onto sip.transport.ws.WebSocketConfig. Static, not a plain
    // requires: the WebSocket transport, like every other, is a provider found through the SPI,
    // and an application embedding ScriptRuntime with only UDP/TCP must not be made to carry it
    // (and through it sip.transport.tcp and .tls). The parley image includes it (resolved by
    // service binding, so read from here); without it a config.websocket is refused with a clear
    // error (internal.cli.WebSocketSettings), and ws:/wss: listeners find no provider.
    requires static sip.transport.ws;
    // sun.misc.Signal: parley run stops on SIGINT/SIGTERM with exit status 0 and reloads on SIGHUP.
    requires jdk.unsupported;

    exports sip.script;
    // The JS binding's Java views. GraalVM shows a guest the @HostAccess.Export members of classes
    // in unconditionally exported packages only (oracle/graal#4038: a qualified export to
    // org.graalvm.truffle is not enough). Not API: the views have no public constructors to reach.
    exports sip.script.internal.js;
    exports sip.script.testing;
}
