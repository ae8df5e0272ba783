package sip.interop.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.interop.Peers;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.UserAgent;

/**
 * The real {@code parley} command running a copy of {@code examples/proxy.js}, driven by the
 * real peers as an operator would: sipsak registers user {@code bob} with the address of a SIPp
 * UAS as contact, a SIPp UAC calls bob through parley (INVITE, 200, ACK and BYE along parley's
 * Record-Route), a call to an unknown user gets 404, the script is edited on disk while parley
 * runs (the new version answers one user itself) and a broken edit is refused while the running
 * version keeps serving calls. Every test ends parley with a signal and expects
 * {@code parley: stopped} and exit 0.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ParleyRunInteropTest {

    private static final int CALLS = 10;

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ParleyProcess parley;

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        if (parley != null) {
            // Captured for the surefire report, whatever the outcome.
            System.out.println(parley.diagnostics());
        }
    }

    private ParleyProcess start(ProxyScript script) throws Exception {
        int port = SipPeers.freePort();
        parley = ParleyProcess.run(dir, script.file(), port);
        running.add(parley);
        return parley;
    }

    @ParameterizedTest(name = "caller over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void registeredUserIsCalledThroughParleyAndAnUnknownUserGets404(String callerTransport) throws Exception {
        ProxyScript script = ProxyScript.copyTo(dir);
        ParleyProcess p = start(script);
        List<String> out = p.stdout();
        int udp = out.indexOf("parley: listening on udp:127.0.0.1:" + p.port());
        int tcp = out.indexOf("parley: listening on tcp:127.0.0.1:" + p.port());
        int loaded = out.indexOf("parley: loaded proxy.js version 1 (sha256 " + ProxyScript.sha12(script.originalText()) + ")");
        int ready = out.indexOf("parley: ready");
        assertTrue(udp >= 0 && udp < tcp && tcp < loaded && loaded < ready,
                "the start-up lines, in order: listening (udp, tcp), loaded version 1 with the file's sha256, ready\n"
                        + p.diagnostics());

        SipPeers peers = new SipPeers(dir);
        int uasPort = SipPeers.freePort();
        register(peers, "bob", uasPort);
        calls(peers, "first", callerTransport, uasPort, CALLS);

        Peers.Run unknown = peers.uac("unknown", peers.scenario("uac-rejected.xml", "uac-404.xml", "STATUS", "404"),
                callerTransport, p.port(), "nobody", 3);
        assertEquals(0, unknown.exitCode(), peers.report("unknown", unknown) + "\n" + p.diagnostics());
        assertEquals(3, peers.successfulCalls("unknown", unknown.output()), peers.report("unknown", unknown));

        assertStopsCleanly(p.terminate());
    }

    @Test
    void editedScriptIsServedWithoutRestart() throws Exception {
        ProxyScript script = ProxyScript.copyTo(dir);
        ParleyProcess p = start(script);
        try (UserAgent probe = probeAgent()) {
            assertEquals(404, probe(probe, p).statusCode(), "version 1 does not know user probe\n" + p.diagnostics());

            String edited = script.edited("in-place");
            script.writeInPlace(edited);
            assertServesEdit(probe, p, edited, "in-place", "the edited version answers user probe itself\n");
            assertTrue(p.isAlive());
            assertEquals(1, p.stdout().stream().filter("parley: ready"::equals).count(), "parley restarted\n" + p.diagnostics());
        }
        // Everything else still goes to the original handler: registration and calls.
        SipPeers peers = new SipPeers(dir);
        int uasPort = SipPeers.freePort();
        register(peers, "bob", uasPort);
        calls(peers, "edited", "udp", uasPort, CALLS);

        assertStopsCleanly(p.signal("INT"));
    }

    @Test
    void brokenEditIsRejectedAndTheRunningVersionKeepsServing() throws Exception {
        ProxyScript script = ProxyScript.copyTo(dir);
        ParleyProcess p = start(script);
        SipPeers peers = new SipPeers(dir);
        int uasPort = SipPeers.freePort();
        register(peers, "bob", uasPort);

        script.writeByRename(script.broken());
        p.awaitLine("parley: reload rejected: (.*/)?proxy\\.js:1:\\d+: .*; still serving version 1", ParleyProcess.LINE_WITHIN);
        assertFalse(p.stdout().stream().anyMatch(l -> l.startsWith("parley: loaded proxy.js version 2")), p.diagnostics());
        calls(peers, "after-broken-edit", "udp", uasPort, CALLS);
        try (UserAgent probe = probeAgent()) {
            assertEquals(404, probe(probe, p).statusCode(), "still version 1\n" + p.diagnostics());

            // The operator fixes the script: the fixed version is loaded, over the same registrations.
            String fixed = script.edited("fixed");
            script.writeByRename(fixed);
            assertServesEdit(probe, p, fixed, "fixed", "");
        }
        calls(peers, "after-fix", "tcp", uasPort, CALLS);

        assertStopsCleanly(p.terminate());
    }

    /**
     * {@code parley reload SCRIPT} reaches the running parley of that script: an unchanged script
     * stays on its version, an edit becomes version 2 (whoever reloads first, the command or the
     * file watcher, the reply names version 2 and the edit's hash), a broken edit makes the
     * command fail with the error while the running parley keeps version 2; SIGHUP reloads too.
     */
    @Test
    void reloadCommandAndSighupReachTheRunningParley() throws Exception {
        ProxyScript script = ProxyScript.copyTo(dir);
        ParleyProcess p = start(script);
        String file = script.file().toString();

        Peers.Run unchanged = ParleyProcess.command(dir, "reload", file);
        assertEquals(0, unchanged.exitCode(), unchanged.output() + p.diagnostics());
        assertTrue(unchanged.output().lines().anyMatch(l -> l.matches("parley: .*still serving proxy\\.js version 1\\b.*")),
                unchanged.output());

        String edited = script.edited("reload-command");
        script.writeByRename(edited);
        Peers.Run loaded = ParleyProcess.command(dir, "reload", file);
        assertEquals(0, loaded.exitCode(), loaded.output() + p.diagnostics());
        String version2 = "proxy\\.js version 2 \\(sha256 " + ProxyScript.sha12(edited) + "\\)";
        assertTrue(loaded.output().lines().anyMatch(l -> l.matches("parley: (loaded|unchanged: still serving) " + version2)),
                loaded.output() + p.diagnostics());
        p.awaitLine("parley: loaded " + version2, ParleyProcess.LINE_WITHIN);
        try (UserAgent probe = probeAgent()) {
            assertEquals("reload-command", probe(probe, p).header(ProxyScript.EDIT_HEADER).orElse(null), p.diagnostics());

            int hups = (int) p.stdout().stream().filter(l -> l.matches("parley: .*still serving " + version2)).count();
            assertEquals(-1, p.signal("HUP"));
            p.awaitLine("parley: .*still serving " + version2, hups + 1, ParleyProcess.LINE_WITHIN);

            script.writeByRename(script.broken());
            Peers.Run rejected = ParleyProcess.command(dir, "reload", file);
            assertEquals(1, rejected.exitCode(), rejected.output() + p.diagnostics());
            assertTrue(rejected.output().lines().anyMatch(
                    l -> l.matches("parley: reload rejected: (.*/)?proxy\\.js:1:\\d+: .*; still serving version 2")), rejected.output());
            assertEquals("reload-command", probe(probe, p).header(ProxyScript.EDIT_HEADER).orElse(null),
                    "version 2 still serves\n" + p.diagnostics());
        }

        Path other = java.nio.file.Files.createDirectories(dir.resolve("other")).resolve("other.js");
        java.nio.file.Files.writeString(other, "export function onRequest(req, sip) { sip.reply(200); }\n");
        Peers.Run nobody = ParleyProcess.command(dir, "reload", other.toString());
        assertEquals(1, nobody.exitCode(), "no parley runs other.js\n" + nobody.output());
        assertTrue(nobody.output().startsWith("parley: "), nobody.output());

        assertStopsCleanly(p.terminate());
    }

    /**
     * What an operator sees when parley cannot start: one {@code parley: } line naming the
     * problem (a syntax error by file:line:column, a port in use, a missing file) and exit 1;
     * {@code parley check} tells a good script from a broken one by its exit code.
     */
    @Test
    void startupErrorsAreOneLineAndExit1() throws Exception {
        ProxyScript script = ProxyScript.copyTo(dir);
        String file = script.file().toString();
        Peers.Run good = ParleyProcess.command(dir, "check", file);
        assertEquals(0, good.exitCode(), good.output());

        script.writeInPlace(script.broken());
        Peers.Run check = ParleyProcess.command(dir, "check", file);
        assertEquals(1, check.exitCode(), check.output());
        assertTrue(check.output().lines().anyMatch(l -> l.matches("(parley: )?(.*/)?proxy\\.js:1:\\d+: .*")), check.output());
        int port = SipPeers.freePort();
        Peers.Run broken = ParleyProcess.command(dir, "run", file, "--listen", "udp:127.0.0.1:" + port);
        assertEquals(1, broken.exitCode(), broken.output());
        assertTrue(broken.output().lines().anyMatch(l -> l.matches("parley: (.*/)?proxy\\.js:1:\\d+: .*")), broken.output());
        assertFalse(broken.output().contains("parley: ready"), broken.output());

        script.writeInPlace(script.originalText());
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String listen = "udp:127.0.0.1:" + taken.getLocalPort();
            Peers.Run inUse = ParleyProcess.command(dir, "run", file, "--listen", listen);
            assertEquals(1, inUse.exitCode(), inUse.output());
            assertTrue(inUse.output().lines().anyMatch(l -> l.startsWith("parley: cannot listen on " + listen + ": ")),
                    inUse.output());
        }

        Peers.Run missing = ParleyProcess.command(dir, "run", dir.resolve("nope.js").toString());
        assertEquals(1, missing.exitCode(), missing.output());
        assertTrue(missing.output().lines().anyMatch(l -> l.matches("parley: .*nope\\.js: no such file")), missing.output());
    }

    private void assertStopsCleanly(int exitCode) {
        assertEquals(0, exitCode, "exit code after the signal\n" + parley.diagnostics());
        assertTrue(parley.stdout().contains("parley: stopped"), "no 'parley: stopped'\n" + parley.diagnostics());
    }

    /** sipsak binds {@code sip:USER@127.0.0.1:uasPort} to {@code sip:USER@127.0.0.1} at parley. */
    private void register(SipPeers peers, String user, int uasPort) throws Exception {
        Peers.Run r = peers.register(user, "sip:" + user + "@127.0.0.1:" + uasPort, parley.port(), "udp");
        assertEquals(0, r.exitCode(), "sipsak did not get its 200\n" + SipPeers.tail(r.output()) + "\n" + parley.diagnostics());
        assertTrue(r.output().contains("SIP/2.0 200"), r.output());
    }

    /**
     * {@code calls} calls from a SIPp UAC over {@code callerTransport} to bob, whose contact is a
     * SIPp UAS on UDP {@code uasPort}: every call completes at both ends, the UAS sees parley's
     * Record-Route and a BYE that crossed parley (two Vias).
     */
    private void calls(SipPeers peers, String tag, String callerTransport, int uasPort, int calls) throws Exception {
        Path uasScenario = peers.scenario("/sip/interop/proxy/uas-answer.xml", "uas-answer.xml");
        try (Peers.Started uas = peers.uas("uas-" + tag, uasScenario, "udp", uasPort, calls)) {
            Peers.Run uac = peers.uac("uac-" + tag, peers.scenario("uac-call.xml", "uac-call.xml"), callerTransport,
                    parley.port(), "bob", calls);
            Peers.Run uasRun = uas.await(SipPeers.PEER_TIMEOUT_S);
            String why = peers.report("uac-" + tag, uac) + "\n" + peers.report("uas-" + tag, uasRun) + "\n" + parley.diagnostics();
            assertEquals(0, uac.exitCode(), why);
            assertEquals(calls, peers.successfulCalls("uac-" + tag, uac.output()), why);
            assertEquals(calls, peers.successfulCalls("uas-" + tag, uasRun.output()), why);

            String invite = first(peers.received("uas-" + tag), "INVITE ");
            assertTrue(invite.lines().anyMatch(l -> l.regionMatches(true, 0, "Record-Route:", 0, 13)
                    && l.contains("127.0.0.1:" + parley.port()) && l.contains(";lr")), "parley's Record-Route\n" + invite);
            String bye = first(peers.received("uas-" + tag), "BYE ");
            assertEquals(2, bye.lines().filter(l -> l.regionMatches(true, 0, "Via:", 0, 4)).count(),
                    "the BYE crossed parley\n" + bye);
        }
    }

    private static String first(List<String> messages, String start) {
        return messages.stream().filter(m -> m.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + start.trim() + " among " + messages.size() + " messages"));
    }

    /**
     * Waits for parley to load {@code text} (its sha256 in the "loaded" line), then checks that the
     * new version answers user probe itself with {@code tag} in {@link ProxyScript#EDIT_HEADER}.
     */
    private static void assertServesEdit(UserAgent probe, ParleyProcess p, String text, String tag, String why)
            throws Exception {
        p.awaitLine("parley: loaded proxy\\.js version \\d+ \\(sha256 " + ProxyScript.sha12(text) + "\\)",
                ParleyProcess.LINE_WITHIN);
        SipResponse r = probe(probe, p);
        assertEquals(200, r.statusCode(), why + r + p.diagnostics());
        assertEquals(tag, r.header(ProxyScript.EDIT_HEADER).orElse(null), r.toString());
    }

    private UserAgent probeAgent() throws Exception {
        UserAgent ua = UserAgent.newBuilder().name("probe").build();
        ua.listen("udp", "127.0.0.1:0");
        return ua;
    }

    /**
     * MESSAGE sip:probe@127.0.0.1 sent to parley over UDP; its final response. (MESSAGE, not
     * OPTIONS: a user agent may answer OPTIONS itself.)
     */
    private static SipResponse probe(UserAgent ua, ParleyProcess p) throws Exception {
        SipResponse r = null;
        // A 500 may be a cold first handler call over the 1 s default deadline on a loaded machine
        // (reported to the runtime); what is probed here is which version answers, so ask again.
        for (int attempt = 0; attempt < 3 && (r == null || r.statusCode() == 500); attempt++) {
            if (r != null) {
                System.out.println("probe answered 500, asking again: " + r);
            }
            SipRequest message = ua.client().newRequest(Method.MESSAGE, SipUri.of(ProxyScript.PROBE_USER, "127.0.0.1", -1))
                    .build();
            r = ua.client().request(message, Destination.of("udp", new InetSocketAddress("127.0.0.1", p.port())))
                    .response().get(40, TimeUnit.SECONDS);
        }
        return r;
    }
}
