package sip.script.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sip.script.ScriptCheck;
import sip.script.Scripts;

/** What {@code parley check examples/<name>.js} sees: each example is valid, with the exports its comment describes. */
class ExamplesCheckTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "proxy.js          | config onRequest",
        "dispatcher.js     | config onRequest onFailure",
        "auth-registrar.js | config onRequest",
    })
    void eachExampleIsValid(String name, String exports) {
        ScriptCheck check = Scripts.check(Examples.script(name));
        ScriptCheck.Valid valid = assertInstanceOf(ScriptCheck.Valid.class, check, check::toString);
        assertEquals(Set.of(exports.split(" ")), valid.exports());
        assertEquals(java.util.List.of("udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"), valid.config().listen());
    }

    /**
     * The commands in the examples' header comments are ones that work with this repository: a
     * SIPp run uses a scenario of examples/sipp/ that exists (SIPp's built-in uac/uas do not:
     * the uas does not return the proxy's Record-Route, the uac calls "service@..."), and a
     * sipsak registration asks for an expiry the registrar accepts (its default 15 s gets 423).
     */
    @ParameterizedTest
    @CsvSource({"proxy.js", "dispatcher.js", "auth-registrar.js"})
    void headerCommandsUseTheRepositorysScenarios(String name) throws java.io.IOException {
        Path script = Examples.script(name);
        java.util.List<String> commands = java.nio.file.Files.readAllLines(script).stream()
                .takeWhile(l -> l.startsWith("//") || l.isBlank())
                .map(l -> l.replaceFirst("^//\\s*", ""))
                .filter(l -> l.startsWith("sipp ") || l.startsWith("sipsak "))
                .toList();
        for (String c : commands) {
            if (c.startsWith("sipp ")) {
                assertTrue(!c.contains(" -sn "), name + ": a built-in SIPp scenario: " + c);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("-sf (\\S+)").matcher(c);
                assertTrue(m.find(), name + ": no -sf scenario: " + c);
                Path scenario = script.getParent().getParent().resolve(m.group(1));
                assertTrue(java.nio.file.Files.isRegularFile(scenario), name + ": no scenario " + scenario + ": " + c);
            } else if (c.contains(" -U ")) {
                assertTrue(c.contains(" -x "), name + ": sipsak's default expiry (15 s) is refused with 423: " + c);
            }
        }
    }
}
