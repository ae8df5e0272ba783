package sip.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.SipUri;
import sip.router.TransactionStats;
import sip.router.auth.DigestAlgorithm;
import sip.router.auth.DigestAuthenticator;
import sip.router.auth.InMemoryCredentialStore;
import sip.router.registrar.Binding;

/**
 * sipsak (Debian, 0.9.8.1) in its usrloc mode ({@code -U}) against a running Parley registrar:
 * register a contact, a second one, query the bindings (a REGISTER without Contact, sipsak's
 * {@code -C empty}), register sipsak's own address, be refused a too brief expiry with 423,
 * remove one contact with expires 0 and then all with {@code *}. After each step the registrar's
 * location service must hold exactly what the step asked for and sipsak's exit code must say
 * whether it got its 200.
 *
 * <p>sipsak quirks this works around: a port in the {@code -s} URI is cut to four digits in the
 * message it builds (sip:alice@127.0.0.1:15060 becomes ...:1506), so the port goes in {@code -r};
 * its {@code -b}/{@code -e} user ranges build the second user name without its prefix and then
 * take every answer for a retransmission, so only single users are registered here. Digest:
 * sipsak reads only the first {@code WWW-Authenticate} and knows only MD5; offered SHA-256 first
 * (Parley's default, RFC 8760 §2.4) it stops with "unsupported authentication algorithm", exit 2,
 * and registers nothing.
 */
class SipsakRegistrarInteropTest {

    private static final long PEER_TIMEOUT_S = 30;
    private static final Pattern CONTACT = Pattern.compile("(?m)^Contact: <([^>]+)>[^\\r\\n]*;expires=(\\d+)\\r?$");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "sipsak over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void registerQueryAndRemove(String protocol) throws Exception {
        try (RunningRegistrar registrar = new RunningRegistrar()) {
            Peers.Run first = sipsak(registrar, protocol, "-U", "-C", "sip:alice@127.0.0.1:7001", "-x", "300");
            assertEquals(0, first.exitCode(), first.output());
            List<Binding> one = registrar.bindings("alice");
            assertEquals(List.of("sip:alice@127.0.0.1:7001"), uris(one), first.output());
            assertEquals(protocol, one.getFirst().flow().protocol());
            assertTrue(remaining(one.getFirst()) > 290 && remaining(one.getFirst()) <= 300, one.toString());
            assertEquals(List.of("sip:alice@127.0.0.1:7001"), listed(first).stream().map(c -> c[0]).toList());

            Peers.Run second = sipsak(registrar, protocol, "-U", "-C", "sip:alice@127.0.0.1:7002", "-x", "600");
            assertEquals(0, second.exitCode(), second.output());
            // Equal q: the most recently updated first.
            List<Binding> two = registrar.bindings("alice");
            assertEquals(List.of("sip:alice@127.0.0.1:7002", "sip:alice@127.0.0.1:7001"), uris(two));

            // A REGISTER without Contact asks for the bindings and changes none (§10.3 step 8).
            Peers.Run query = sipsak(registrar, protocol, "-U", "-C", "empty");
            assertEquals(0, query.exitCode(), query.output());
            assertTrue(!query.output().contains("\nContact: sip:"), "sipsak sent a Contact:\n" + query.output());
            List<String[]> listed = listed(query);
            assertEquals(List.of("sip:alice@127.0.0.1:7002", "sip:alice@127.0.0.1:7001"),
                    listed.stream().map(c -> c[0]).toList(), query.output());
            long expires7002 = Long.parseLong(listed.get(0)[1]);
            long expires7001 = Long.parseLong(listed.get(1)[1]);
            assertTrue(expires7002 > 590 && expires7002 <= 600, query.output());
            assertTrue(expires7001 > 290 && expires7001 <= 300, query.output());
            assertEquals(two, registrar.bindings("alice"), "a query changed the bindings");

            // sipsak's own address as the contact.
            Peers.Run own = sipsak(registrar, protocol, "-U", "-x", "120");
            assertEquals(0, own.exitCode(), own.output());
            List<Binding> three = registrar.bindings("alice");
            assertEquals(3, three.size(), three.toString());
            SipUri sipsakContact = (SipUri) three.getFirst().uri();
            assertEquals("alice", sipsakContact.user());
            assertTrue(own.output().contains("Contact: sip:alice@127.0.0.1:" + sipsakContact.port()), own.output());

            // Below Min-Expires: 423 with Min-Expires 60, and sipsak says it did not get its 200.
            Peers.Run brief = sipsak(registrar, protocol, "-U", "-C", "sip:alice@127.0.0.1:7003", "-x", "30");
            assertNotEquals(0, brief.exitCode(), brief.output());
            assertTrue(brief.output().contains("SIP/2.0 423 Interval Too Brief"), brief.output());
            assertTrue(brief.output().contains("Min-Expires: 60"), brief.output());
            assertEquals(uris(three), uris(registrar.bindings("alice")));

            Peers.Run removal = sipsak(registrar, protocol, "-U", "-C", "sip:alice@127.0.0.1:7001", "-x", "0");
            assertEquals(0, removal.exitCode(), removal.output());
            assertEquals(List.of(sipsakContact.toString(), "sip:alice@127.0.0.1:7002"), uris(registrar.bindings("alice")));
            assertEquals(List.of(sipsakContact.toString(), "sip:alice@127.0.0.1:7002"),
                    listed(removal).stream().map(c -> c[0]).toList(), removal.output());

            Peers.Run all = sipsak(registrar, protocol, "-U", "-C", "*", "-x", "0");
            assertEquals(0, all.exitCode(), all.output());
            assertTrue(all.output().contains("Contact: *"), all.output());
            assertEquals(List.of(), registrar.bindings("alice"));
            assertEquals(0, registrar.store().bindingCount());
            assertEquals(0, registrar.store().aorCount());

            // Every REGISTER was one transaction and one call of the registrar.
            assertEquals(7, registrar.registered());
            assertIdle(registrar);
        }
    }

    /**
     * MD5 Digest, the only algorithm sipsak knows: the right password registers after one 401, a
     * wrong one is challenged again and sipsak gives up; nothing is bound without a verified answer.
     */
    @Test
    void digestProtectedRegistrar() throws Exception {
        DigestAuthenticator auth = DigestAuthenticator.newBuilder()
                .realm(RunningRegistrar.DOMAIN)
                .algorithms(DigestAlgorithm.MD5)
                .credentials(new InMemoryCredentialStore().add("alice", RunningRegistrar.DOMAIN, "secret"))
                .build();
        try (RunningRegistrar registrar = new RunningRegistrar(auth)) {
            Peers.Run wrong = sipsak(registrar, "udp", "-U", "-C", "sip:alice@127.0.0.1:7001", "-x", "300",
                    "-u", "alice", "-a", "guessed");
            assertNotEquals(0, wrong.exitCode(), wrong.output());
            assertTrue(wrong.output().contains("algorithm=MD5"), wrong.output());
            assertEquals(0, registrar.registered(), "a wrong password reached the registrar");
            assertEquals(List.of(), registrar.bindings("alice"));

            Peers.Run right = sipsak(registrar, "udp", "-U", "-C", "sip:alice@127.0.0.1:7001", "-x", "300",
                    "-u", "alice", "-a", "secret");
            assertEquals(0, right.exitCode(), right.output());
            assertTrue(right.output().contains("SIP/2.0 401 Unauthorized"), right.output());
            assertTrue(right.output().contains("qop=auth, nc=00000001"), right.output());
            assertEquals(List.of("sip:alice@127.0.0.1:7001"), uris(registrar.bindings("alice")));
            assertEquals(1, registrar.registered());
            assertEquals(java.util.Set.of("alice"), registrar.authenticatedUsers());

            Peers.Run removal = sipsak(registrar, "udp", "-U", "-C", "*", "-x", "0", "-u", "alice", "-a", "secret");
            assertEquals(0, removal.exitCode(), removal.output());
            assertEquals(0, registrar.store().bindingCount());
            assertIdle(registrar);
        }
    }

    private Peers.Run sipsak(RunningRegistrar registrar, String protocol, String... mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("sipsak").toString(), "-vvv", "-i",
                "--transport=" + protocol, "-s", "sip:alice@" + RunningRegistrar.DOMAIN,
                "-r", String.valueOf(registrar.port())));
        cmd.addAll(Arrays.asList(mode));
        return Peers.run(dir, PEER_TIMEOUT_S, cmd);
    }

    /** The Contact URIs and expires of the last 200 sipsak printed. */
    private static List<String[]> listed(Peers.Run run) {
        String out = run.output();
        int last = out.lastIndexOf("SIP/2.0 200 OK");
        assertTrue(last >= 0, "no 200 in sipsak's output:\n" + out);
        // The response runs to the first empty line after its status line.
        Matcher end = Pattern.compile("\\r?\\n\\r?\\n").matcher(out);
        String response = end.find(last) ? out.substring(last, end.start()) : out.substring(last);
        List<String[]> contacts = new ArrayList<>();
        Matcher m = CONTACT.matcher(response);
        while (m.find()) {
            contacts.add(new String[] {m.group(1), m.group(2)});
        }
        return contacts;
    }

    private static List<String> uris(List<Binding> bindings) {
        return bindings.stream().map(b -> b.uri().toString()).toList();
    }

    private static long remaining(Binding b) {
        return b.remainingSeconds(java.time.Instant.now());
    }

    private static void assertIdle(RunningRegistrar registrar) throws InterruptedException {
        TransactionStats stats = registrar.awaitIdle();
        assertEquals(0, stats.liveTransactions(), stats.toString());
        assertEquals(0, stats.transportErrors(), stats.toString());
        assertEquals(0, stats.malformedDropped(), stats.toString());
    }
}
