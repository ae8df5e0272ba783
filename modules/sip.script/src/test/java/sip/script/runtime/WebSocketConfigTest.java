package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.ScriptCheck;
import sip.script.ScriptConfig;
import sip.script.ScriptError;
import sip.script.Scripts;

/** {@code config.websocket}: read into {@link ScriptConfig.WebSocket}; a wrong shape is a BAD_CONFIG at the config line. */
class WebSocketConfigTest {

    @TempDir
    Path dir;

    private ScriptCheck check(String config) {
        return Scripts.check(FakeHosts.script(dir, "ws.js",
                "\nexport const config = " + config + ";\nexport function onRequest(req, sip) { }\n"));
    }

    @Test
    void pathAndOriginsAreReadAndBothAreOptional() {
        ScriptConfig full = assertInstanceOf(ScriptCheck.Valid.class, check(
                "{ listen: ['wss:127.0.0.1:8443', 'ws:[::1]:8080'], websocket: { path: '/sip',"
                        + " allowedOrigins: ['https://phone.example.test', 'http://[::1]:8000'] } }")).config();
        assertEquals(List.of("wss:127.0.0.1:8443", "ws:[::1]:8080"), full.listen());
        assertEquals(Optional.of(new ScriptConfig.WebSocket(Optional.of("/sip"),
                List.of("https://phone.example.test", "http://[::1]:8000"))), full.websocket());

        ScriptConfig empty = assertInstanceOf(ScriptCheck.Valid.class, check("{ websocket: {} }")).config();
        assertEquals(Optional.of(new ScriptConfig.WebSocket(Optional.empty(), List.of())), empty.websocket());
        assertEquals(Optional.empty(), assertInstanceOf(ScriptCheck.Valid.class, check("{}")).config().websocket());
    }

    @Test
    void aWrongShapeIsABadConfigNamingTheKey() {
        for (String[] c : new String[][] {
                {"{ websocket: '/sip' }", "config.websocket must be"},
                {"{ websocket: { path: 'sip' } }", "config.websocket.path"},
                {"{ websocket: { path: '/a b' } }", "config.websocket.path"},
                {"{ websocket: { allowedOrigins: 'https://a.test' } }", "config.websocket.allowedOrigins must be an array"},
                {"{ websocket: { allowedOrigins: ['https://a.test/page'] } }", "scheme://host[:port]"},
                {"{ websocket: { allowedOrigins: ['a.test'] } }", "scheme://host[:port]"},
                {"{ websocket: { origins: [] } }", "unknown config.websocket key 'origins'"}}) {
            ScriptError e = assertInstanceOf(ScriptCheck.Invalid.class, check(c[0]), c[0]).error();
            assertEquals(ScriptError.Kind.BAD_CONFIG, e.kind(), e::toString);
            assertEquals(2, e.line(), e::toString);
            assertTrue(e.message().contains(c[1]), c[0] + " -> " + e);
        }
    }
}
