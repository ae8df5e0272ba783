package sip.script.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.script.internal.cli.ParleyCommand;

/**
 * Reloading a running {@code parley run}: {@code parley reload} through the control socket,
 * SIGHUP (what its handler calls), a file change; loaded and rejected versions printed by both sides.
 */
class ReloadTest {

    @TempDir
    Path dir;

    private final Console clientOut = new Console();
    private final Console clientErr = new Console();

    private int parleyReload(Path script) {
        return new ParleyCommand(clientOut.stream, clientErr.stream).execute(List.of("reload", script.toString()));
    }

    @Test
    void reloadCommandLoadsANewVersionAndReportsARejectedOne() throws Exception {
        Path script = Files.writeString(dir.resolve("proxy.js"), RunCommandTest.ANSWER_200);
        try (RunningParley parley = new RunningParley("run", script.toString(), "--no-watch",
                "--listen", "udp:127.0.0.1:0").awaitReady()) {
            Files.writeString(script, "export function onRequest(req, sip) { sip.reply(486); }\n");
            String loaded = "parley: loaded proxy.js version 2 (sha256 " + RunCommandTest.sha256(script).substring(0, 12) + ")";
            assertEquals(0, parleyReload(script));
            assertEquals(List.of(loaded), clientOut.lines());
            assertTrue(parley.out.lines().contains(loaded), parley.out.text());

            Files.writeString(script, "export function onRequest(req, sip) {\n  sip.reply(486) ]\n}\n");
            assertEquals(1, parleyReload(script));
            String rejected = clientErr.lines().getLast();
            assertTrue(rejected.matches("parley: reload rejected: \\S*proxy\\.js:2:\\d+: .+; still serving version 2"), rejected);
            int at = parley.out.await(0, rejected::equals, RunningParley.patience());
            assertTrue(at > parley.out.lines().indexOf(loaded));

            assertEquals(0, parley.stop());
        }
        assertFalse(Files.exists(ParleyCommand.controlSocket(script)), "the control socket is removed at stop");
    }

    @Test
    void sighupReloadsAndAnUnchangedScriptSaysSo() throws Exception {
        Path script = Files.writeString(dir.resolve("proxy.js"), RunCommandTest.ANSWER_200);
        try (RunningParley parley = new RunningParley("run", script.toString(), "--no-watch",
                "--listen", "udp:127.0.0.1:0").awaitReady()) {
            parley.command.reload();   // what the SIGHUP handler calls
            assertTrue(parley.out.lines().getLast().startsWith("parley: unchanged: still serving proxy.js version 1 (sha256 "),
                    parley.out.text());
            Files.writeString(script, "export function onRequest(req, sip) { sip.reply(404); }\n");
            parley.command.reload();
            assertTrue(parley.out.lines().getLast().startsWith("parley: loaded proxy.js version 2 (sha256 "), parley.out.text());
            assertEquals(0, parley.stop());
        }
    }

    @Test
    void aChangedFileIsReloadedWithoutBeingAsked() throws Exception {
        Path script = Files.writeString(dir.resolve("proxy.js"), RunCommandTest.ANSWER_200);
        try (RunningParley parley = new RunningParley("run", script.toString(), "--listen", "udp:127.0.0.1:0").awaitReady()) {
            Files.writeString(script, "export function onRequest(req, sip) { sip.reply(603); }\n");
            String loaded = "parley: loaded proxy.js version 2 (sha256 " + RunCommandTest.sha256(script).substring(0, 12) + ")";
            parley.out.await(0, loaded::equals, RunningParley.patience());
            assertEquals(0, parley.stop());
        }
    }

    @Test
    void aSecondRunOfTheSameScriptLeavesTheControlSocketToTheFirst() throws Exception {
        Path script = Files.writeString(dir.resolve("twice.js"), RunCommandTest.ANSWER_200);
        try (RunningParley first = new RunningParley("run", script.toString(), "--no-watch", "--listen", "udp:127.0.0.1:0").awaitReady();
             RunningParley second = new RunningParley("run", script.toString(), "--no-watch", "--listen", "udp:127.0.0.1:0").awaitReady()) {
            assertTrue(second.err.lines().contains("parley: warning: another parley run of " + script + " holds "
                    + ParleyCommand.controlSocket(script) + "; `parley reload` reaches that one, SIGHUP reloads this one"),
                    second.err.text());
            Files.writeString(script, "export function onRequest(req, sip) { sip.reply(480); }\n");
            assertEquals(0, parleyReload(script));
            String loaded = clientOut.lines().getFirst();
            assertTrue(first.out.lines().contains(loaded), first.out.text());
            assertFalse(second.out.lines().contains(loaded), second.out.text());
            assertEquals(0, second.stop());
            assertTrue(Files.exists(ParleyCommand.controlSocket(script)), "the second run leaves the first one's socket");
            assertEquals(0, first.stop());
        }
    }

    @Test
    void reloadWithoutARunningParleySaysSo() throws Exception {
        Path script = Files.writeString(dir.resolve("idle.js"), RunCommandTest.ANSWER_200);
        assertEquals(1, parleyReload(script));
        assertEquals(List.of("parley: no parley run of " + script + " is running (no control socket at "
                + ParleyCommand.controlSocket(script) + ")"), clientErr.lines());
    }

    @Test
    void aStaleControlSocketOfAKilledRunIsNotARunningParley() throws Exception {
        Path script = Files.writeString(dir.resolve("stale.js"), RunCommandTest.ANSWER_200);
        Path socket = ParleyCommand.controlSocket(script);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));   // closed without removing the file, as a kill -9 leaves it
        }
        try {
            assertTrue(Files.exists(socket));
            assertEquals(1, parleyReload(script));
            assertTrue(clientErr.lines().getFirst().startsWith("parley: no parley run of "), clientErr.text());
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void theControlSocketIsTheSameForAnySpellingOfTheScript() throws Exception {
        Path script = Files.writeString(dir.resolve("same.js"), RunCommandTest.ANSWER_200);
        Path link = Files.createSymbolicLink(dir.resolve("link.js"), script);
        Path dotted = dir.resolve(".").resolve("same.js");
        assertEquals(ParleyCommand.controlSocket(script), ParleyCommand.controlSocket(link));
        assertEquals(ParleyCommand.controlSocket(script), ParleyCommand.controlSocket(dotted));
        assertTrue(ParleyCommand.controlSocket(script).getFileName().toString().matches("parley-[0-9a-f]{16}\\.sock"));
    }
}
