package sip.script.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sip.script.ReloadResult;
import sip.script.ScriptCheck;
import sip.script.ScriptError;
import sip.script.ScriptException;
import sip.script.ScriptRuntime;
import sip.script.ScriptStats;
import sip.script.Scripts;

/**
 * Scripts whose top level (module evaluation) tries to escape the sandbox or run away: each is
 * refused when it is loaded, three ways, with a reason ({@link ScriptError} naming the script):
 * {@link Scripts#check} says {@link ScriptCheck.Invalid}, {@link ScriptRuntime.Builder#build}
 * throws {@link ScriptException}, and a running runtime's {@link ScriptRuntime#reload} rejects the
 * edit and keeps serving the version it had. A script importing a module of its own directory is
 * the control: valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class LoadTimeRefusalTest {

    private static final String HANDLER = "\nexport function onRequest(req, sip) { sip.reply(200, 'OK'); }\n";

    /** The class's directory (a {@code @TempDir} parameter of {@code @BeforeAll}: per-class instance). */
    private Path root;

    /** A runtime serving a normal script; each refused script is written over it and reloaded. */
    private ScriptedServer running;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        running = ScriptedServer.start(root.resolve("running"), HANDLER, b -> b.workers(1));
    }

    @AfterAll
    void closeAndCount() {
        if (running == null) {
            return;
        }
        ScriptStats after = running.closeAndStats();
        assertEquals(0, after.liveContexts(), after.toString());
        assertEquals(0, after.inFlight(), after.toString());
    }

    Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("Java.type", "Java.type('java.lang.Runtime').getRuntime().exec(['touch', PWNED]);"),
                Arguments.of("java package global", "java.lang.Runtime.getRuntime().exec(['touch', PWNED]);"),
                Arguments.of("Polyglot.eval", "Polyglot.eval('python', '1 + 1');"),
                Arguments.of("load", "load('/etc/passwd');"),
                Arguments.of("import from the parent directory", "import { secret } from '../outside.js';"),
                Arguments.of("import an absolute path", "import '/etc/passwd';"),
                Arguments.of("import a file URL", "import 'file:///etc/passwd';"),
                Arguments.of("import through a symbolic link out of the directory", "import { secret } from './link.js';"),
                Arguments.of("dynamic import with top-level await", "await import('file:///etc/passwd');"),
                Arguments.of("new Worker", "new Worker('data:text/javascript,1');"),
                Arguments.of("infinite loop", "for (;;) {}"),
                Arguments.of("deep recursion", "const f = (n) => f(n + 1) + 1; f(0);"),
                Arguments.of("huge string", "const s = 'x'.repeat(2 ** 30);"),
                Arguments.of("huge ArrayBuffer", "const b = new ArrayBuffer(2 ** 33);"),
                Arguments.of("throws", "throw new Error('thrown at the top level');"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedAtLoadWithAReason(String name, String topLevel) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name.replaceAll("\\W+", "-")));
        String text = topLevel.replace("PWNED", "'" + dir.resolve("pwned") + "'") + HANDLER;
        Path script = ScriptedServer.writeScript(dir, text);
        Files.createSymbolicLink(script.resolveSibling("link.js"), dir.resolve("outside.js"));

        ScriptCheck check = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Scripts.check(script),
                "Scripts.check must end for " + name);
        ScriptError error = assertInstanceOf(ScriptCheck.Invalid.class, check, name + " passed the check").error();
        assertReason(error);
        assertTrue(error.file().endsWith("main.js") || error.toString().contains("main.js"),
                "the error names the script: " + error);

        ScriptException thrown = assertThrows(ScriptException.class,
                () -> ScriptRuntime.newBuilder(script).userAgent(userAgentForBuildOnly()).build());
        assertReason(thrown.error());

        // The same text as an edit of a running script: rejected, the running version serves on.
        int version = running.runtime.version().number();
        Files.writeString(running.runtime.version().file(), text, StandardCharsets.UTF_8);
        ReloadResult reload = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> running.runtime.reload(),
                "reload must end for " + name);
        ReloadResult.Rejected rejected = assertInstanceOf(ReloadResult.Rejected.class, reload, reload.toString());
        assertReason(rejected.error());
        assertEquals(version, running.runtime.version().number());
        assertEquals(200, running.send("ok").statusCode(), "the running version still serves");

        assertFalse(Files.exists(dir.resolve("pwned")), "a script ran a process");
    }

    @Test
    void topLevelThrowIsReportedWithItsLine() throws Exception {
        Path script = ScriptedServer.writeScript(root.resolve("throw-line"),
                "const a = 1;\nconst b = 2;\nthrow new Error('thrown on line 3');\n" + HANDLER);
        ScriptError error = assertInstanceOf(ScriptCheck.Invalid.class, Scripts.check(script)).error();
        assertEquals(3, error.line(), error.toString());
        assertTrue(error.message().contains("thrown on line 3"), error.toString());
        assertEquals(ScriptError.Kind.RUNTIME, error.kind(), error.toString());
    }

    @Test
    void importFromItsOwnDirectoryIsValidAndServes() throws Exception {
        Path dir = root.resolve("own-import");
        Path script = ScriptedServer.writeScript(dir,
                "import { status } from './lib/answer.js';\nexport function onRequest(req, sip) { sip.reply(status); }\n");
        Path lib = Files.createDirectories(script.resolveSibling("lib"));
        Files.writeString(lib.resolve("answer.js"), "export const status = 202;\n", StandardCharsets.UTF_8);
        ScriptCheck.Valid valid = assertInstanceOf(ScriptCheck.Valid.class, Scripts.check(script));
        assertTrue(valid.exports().contains("onRequest"), valid.toString());
        try (ScriptedServer served = ScriptedServer.start(dir, Files.readString(script), b -> b.workers(1))) {
            assertEquals(202, served.send("anyone").statusCode());
        }
    }

    /** The reason an operator reads: a message, and no content of a file it was denied. */
    private static void assertReason(ScriptError error) {
        assertFalse(error.message() == null || error.message().isBlank(), "no reason: " + error);
        assertFalse(error.message().contains("root:x:0:0"), "the error leaks /etc/passwd: " + error);
    }

    private sip.router.UserAgent buildOnly;

    /** A user agent for builds that must fail before serving: never listens. */
    private sip.router.UserAgent userAgentForBuildOnly() {
        if (buildOnly == null) {
            buildOnly = sip.router.UserAgent.newBuilder().name("build-only").build();
        }
        return buildOnly;
    }

    @AfterAll
    void closeBuildOnly() {
        if (buildOnly != null) {
            buildOnly.close();
        }
    }
}
