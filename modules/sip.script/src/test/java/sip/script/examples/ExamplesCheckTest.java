package sip.script.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
}
