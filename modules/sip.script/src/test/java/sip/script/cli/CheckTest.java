package sip.script.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.internal.cli.ParleyCommand;

/** {@code parley check}: OK with exports and config, or {@code file:line:column: message} and exit status 1. */
class CheckTest {

    @TempDir
    Path dir;

    private final Console out = new Console();
    private final Console err = new Console();

    private int check(Path script) {
        return new ParleyCommand(out.stream, err.stream).execute(List.of("check", script.toString()));
    }

    @Test
    void aValidScriptIsOkWithItsExportsAndConfig() throws Exception {
        Path script = Files.writeString(dir.resolve("registrar.js"), """
                export const config = {
                  listen: ['udp:127.0.0.1:5070'],
                  domains: ['example.test'],
                  auth: { realm: 'example.test', users: { alice: 'secret', bob: 'hunter2' } },
                };
                export function onRequest(req, sip) { sip.reply(200); }
                export function onFailure(res, branch, req, sip) { }
                """);
        assertEquals(0, check(script));
        assertEquals(List.of(
                "registrar.js: OK",
                "  exports: config, onFailure, onRequest",
                "  listen: udp:127.0.0.1:5070",
                "  domains: example.test",
                "  auth: realm example.test, 2 user(s)",
                "  workers: (one per CPU)"), out.lines());
        assertEquals(List.of(), err.lines());
    }

    @Test
    void webSocketSettingsAreShownWhenSet() throws Exception {
        Path script = Files.writeString(dir.resolve("ws.js"), "export const config = { listen: ['wss:127.0.0.1:8443'],"
                + " websocket: { path: '/sip', allowedOrigins: ['https://phone.example.test'] } };\n"
                + RunCommandTest.ANSWER_200);
        assertEquals(0, check(script));
        assertTrue(out.lines().contains("  listen: wss:127.0.0.1:8443"), out.text());
        assertEquals("  websocket: path /sip, origins https://phone.example.test", out.lines().getLast());
    }

    @Test
    void aScriptWithoutConfigShowsTheDefaults() throws Exception {
        Path script = Files.writeString(dir.resolve("plain.js"), RunCommandTest.ANSWER_200);
        assertEquals(0, check(script));
        assertTrue(out.lines().contains("  listen: (not set: udp:127.0.0.1:5060, tcp:127.0.0.1:5060)"), out.text());
        assertTrue(out.lines().contains("  domains: (any)"), out.text());
    }

    @Test
    void aSyntaxErrorIsFileLineColumnMessage() throws Exception {
        Path script = Files.writeString(dir.resolve("broken.js"), "export function onRequest(req, sip) {\n  sip.reply(200) ]\n}\n");
        assertEquals(1, check(script));
        assertTrue(err.lines().getFirst().matches("\\S*broken\\.js:2:\\d+: .*SyntaxError.*"), err.text());
        assertEquals(List.of(), out.lines());
    }

    @Test
    void aMissingOnRequestIsNamed() throws Exception {
        Path script = Files.writeString(dir.resolve("empty.js"), "export function onResponse(res) { }\n");
        assertEquals(1, check(script));
        assertTrue(err.lines().getFirst().matches("\\S*empty\\.js:\\d+:\\d+: .*onRequest.*"), err.text());
    }
}
