package sip.script.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipResponse;
import sip.script.ScriptStats;

/**
 * A handler that tries to escape the sandbox, exhaust the machine or never answer, one kind per
 * request user, all in one running script: each such request gets {@code 500} (the host lookup,
 * polyglot, IO, thread and module-loading doors are shut; a runaway is stopped by the statement
 * limit or the wall-clock deadline), nothing stays in flight, and the very next normal request is
 * answered {@code 200} by the same runtime. One runtime for the whole class: it must survive all
 * of them in a row, and at its close every live count is 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RequestTimeContainmentTest {

    private static final int WORKERS = 2;
    /** Handlers only the statement limit stops (the others fail fast with a JS error). */
    private static final java.util.Set<String> RUNAWAYS = java.util.Set.of("infinite-loop", "growing-array");

    /** The class's directory (a {@code @TempDir} parameter of {@code @BeforeAll}: per-class instance). */
    private Path root;

    private ScriptedServer server;

    /** Each entry returns normally only if the sandbox let it through; the handler then answers 200 Escaped. */
    private String script() {
        return """
                const attempts = {
                  'java-type': () => Java.type('java.lang.Runtime').getRuntime().exec(['touch', '%1$s']),
                  'java-package': () => java.lang.Runtime.getRuntime().exec(['touch', '%1$s']),
                  'packages': () => Packages.java.lang.Runtime.getRuntime(),
                  'host-reflection': (req) => req.getClass().forName('java.lang.Runtime'),
                  'uri-reflection': (req) => req.uri.getClass().getClassLoader(),
                  'eval-java-type': () => eval("Java.type('java.io.File')"),
                  'polyglot-eval': () => Polyglot.eval('python', '1 + 1'),
                  'load': () => load('/etc/passwd'),
                  'read': () => read('/etc/passwd'),
                  'require-fs': () => require('fs').readFileSync('/etc/passwd'),
                  'quit': () => quit(),
                  'import-file-url': () => import('file:///etc/passwd'),
                  'import-absolute': () => import('/etc/passwd'),
                  'import-parent': () => import('../outside.js'),
                  'worker': () => new Worker('data:text/javascript,1'),
                  'set-timeout': () => setTimeout(() => {}, 0),
                  'infinite-loop': () => { for (;;) {} },
                  'deep-recursion': () => { const f = (n) => f(n + 1) + 1; return f(0); },
                  'array-2-32': () => new Array(2 ** 32),
                  'string-2-30': () => 'x'.repeat(2 ** 30),
                  'array-buffer-2-33': () => new ArrayBuffer(2 ** 33),
                  'growing-array': () => { const a = []; for (;;) a.push(a.length); },
                  'doubling-string': () => { let s = 'x'; for (;;) s += s; },
                  'store-flood': (req, sip) => { for (let i = 0; ; i++) sip.store.set('flood-' + i, i); },
                  'blocking-wait': () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0),
                  'throws': () => { throw new Error('thrown by the handler'); },
                };

                export function onRequest(req, sip) {
                  const user = req.uri.user;
                  if (user === 'ok') {
                    sip.reply(200, 'OK');
                    return;
                  }
                  if (user === 'no-answer') {
                    return;
                  }
                  if (user === 'never-settles') {
                    return new Promise(() => {});
                  }
                  const attempt = attempts[user];
                  if (attempt === undefined) {
                    sip.reply(404);
                    return;
                  }
                  const result = attempt(req, sip);
                  if (result instanceof Promise) {
                    return result.then(() => sip.reply(200, 'Escaped'));
                  }
                  sip.reply(200, 'Escaped');
                }
                """.formatted(pwned());
    }

    private String pwned() {
        return root.resolve("pwned").toString();
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        server = ScriptedServer.start(root, script(), b -> b.workers(WORKERS).handlerDeadline(Duration.ofSeconds(2)));
        assertEquals(200, server.send("ok").statusCode(), "the script serves before any abuse");
    }

    @AfterAll
    void closeAndCount() {
        if (server == null) {
            return;
        }
        ScriptStats after = server.closeAndStats();
        assertEquals(0, after.liveContexts(), after.toString());
        assertEquals(0, after.inFlight(), after.toString());
        assertEquals(0, after.storeEntries(), after.toString());
        assertFalse(Files.exists(Path.of(pwned())), "a script ran a process");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java-type", "java-package", "packages", "host-reflection", "uri-reflection",
        "eval-java-type", "polyglot-eval", "load", "read", "require-fs", "quit", "import-file-url", "import-absolute", "import-parent",
        "worker", "set-timeout", "infinite-loop", "deep-recursion", "array-2-32", "string-2-30",
        "array-buffer-2-33", "growing-array", "doubling-string", "store-flood", "blocking-wait", "throws"})
    void refusedOrStoppedWith500ThenServingAgain(String attempt) throws Exception {
        ScriptStats before = server.stats();
        SipResponse r = server.send(attempt);
        assertEquals(500, r.statusCode(), attempt + " got " + r);
        ScriptStats after = server.stats();
        if (RUNAWAYS.contains(attempt)) {
            assertEquals(before.timeouts() + 1, after.timeouts(), "a runaway is counted as a timeout\nbefore " + before
                    + "\nafter " + after);
        } else if (attempt.equals("store-flood")) {
            // 100,000 sets: refused at the store's bound, or stopped by the deadline on a slow machine.
            assertEquals(failures(before) + 1, failures(after), "before " + before + "\nafter " + after);
        } else {
            assertEquals(before.scriptErrors() + 1, after.scriptErrors(), "a refused operation is a script error\nbefore "
                    + before + "\nafter " + after);
        }
        assertNothingInFlightAndServing();
        assertFalse(Files.exists(Path.of(pwned())), "a script ran a process");
    }

    @Test
    void handlerReturningWithoutAnswerGets500ScriptDidNotAnswer() throws Exception {
        long before = server.stats().noDisposition();
        SipResponse r = server.send("no-answer");
        assertEquals(500, r.statusCode(), r.toString());
        assertEquals("Script Did Not Answer", r.status().reason(), r.toString());
        assertEquals(before + 1, server.stats().noDisposition(), server.stats().toString());
        assertNothingInFlightAndServing();
    }

    /** A Promise that never settles: the request still gets its 500 and leaves nothing in flight. */
    @Test
    void handlerWhosePromiseNeverSettlesGets500() throws Exception {
        SipResponse r = server.send("never-settles");
        assertEquals(500, r.statusCode(), r.toString());
        assertNothingInFlightAndServing();
    }

    private void assertNothingInFlightAndServing() throws Exception {
        server.awaitStats("nothing in flight and at most one context per worker",
                s -> s.inFlight() == 0 && s.liveContexts() <= WORKERS);
        assertEquals(200, server.send("ok").statusCode(), "the runtime serves the next request");
    }

    private static long failures(ScriptStats s) {
        return s.scriptErrors() + s.timeouts();
    }
}
