package sip.script.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sip.message.Contact;
import sip.message.HeaderName;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.auth.Credentials;
import sip.router.auth.CredentialsProvider;
import sip.script.ReloadResult;
import sip.script.ScriptRuntime;
import sip.script.ScriptStats;

/** The whole runtime on real UDP loopback agents: a UAC, the script proxy, a UAS. */
class RuntimeUdpTest {

    private static final String SCRIPT = """
            export const config = { auth: { realm: 'example.test', users: { alice: 'secret' } } };
            export function onRequest(req, sip) {
              if (req.method === 'REGISTER') {
                if (sip.auth.check(req) === null) return;   // challenged with 401
                sip.registrar.save(req);
                return;
              }
              if (req.method === 'MESSAGE') {
                const user = sip.auth.check(req);          // 407 when not authenticated
                if (user !== null) sip.reply(202, 'Accepted for ' + user);
                return;
              }
              const contacts = sip.location.lookup(req.uri);
              if (contacts.length === 0) return sip.reply(404);
              req.setHeader('X-Script', 'v1');
              sip.relay(req, contacts, { recordRoute: true });
            }
            """;

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private UserAgent agent(String name, CredentialsProvider credentials) throws Exception {
        UserAgent.Builder b = UserAgent.newBuilder().name(name).closeTimeout(Duration.ZERO);
        if (credentials != null) {
            b.credentials(credentials);
        }
        UserAgent ua = b.build();
        toClose.add(ua);
        ua.listen("udp", "127.0.0.1:0");
        return ua;
    }

    private static InetSocketAddress at(UserAgent ua) {
        return ua.listeners().get(0).localAddress();
    }

    @Test
    void registerWithDigestThenCallIsRelayedWithTheScriptsEditsAndUnknownGets404() throws Exception {
        Path script = FakeHosts.script(dir, "proxy.js", SCRIPT);
        UserAgent proxyUa = agent("proxy", null);
        ScriptRuntime rt = ScriptRuntime.newBuilder(script).userAgent(proxyUa).workers(2).watch(true)
                .handlerDeadline(Duration.ofSeconds(10)).build();
        toClose.add(rt);
        Destination proxy = Destination.of("udp", at(proxyUa));

        UserAgent uas = agent("uas", null);
        BlockingQueue<ServerTransaction> atUas = new LinkedBlockingQueue<>();
        uas.server().onDefault(atUas::add);
        SipUri uasContact = SipUri.of("alice", "127.0.0.1", at(uas).getPort());

        // REGISTER without credentials: the script's auth.check challenges.
        UserAgent anonymous = agent("anon", null);
        SipUri aor = SipUri.of("alice", "127.0.0.1", -1);
        SipRequest register = anonymous.client().newRequest(Method.REGISTER, SipUri.of("127.0.0.1"))
                .to(NameAddress.of(aor)).from(NameAddress.of(aor).withTag("r1"))
                .contact(Contact.of(uasContact)).setHeader("Expires", "600").build();
        assertEquals(401, anonymous.client().request(register, proxy).response().get(20, TimeUnit.SECONDS).statusCode());

        // With credentials the client answers the challenge: registered.
        UserAgent alice = agent("alice", CredentialsProvider.of(new Credentials("alice", "secret")));
        SipRequest register2 = alice.client().newRequest(Method.REGISTER, SipUri.of("127.0.0.1"))
                .to(NameAddress.of(aor)).from(NameAddress.of(aor).withTag("r2"))
                .contact(Contact.of(uasContact)).setHeader("Expires", "600").build();
        assertEquals(200, alice.client().request(register2, proxy).response().get(20, TimeUnit.SECONDS).statusCode());
        assertEquals(1, rt.locationService().lookup(sip.router.registrar.AddressOfRecord.of(aor)).size());

        // MESSAGE: 407 without, 202 with credentials.
        SipRequest msg = anonymous.client().newRequest(Method.MESSAGE, aor).build();
        assertEquals(407, anonymous.client().request(msg, proxy).response().get(20, TimeUnit.SECONDS).statusCode());
        SipResponse accepted = alice.client().request(alice.client().newRequest(Method.MESSAGE, aor).build(), proxy)
                .response().get(20, TimeUnit.SECONDS);
        assertEquals(202, accepted.statusCode());
        assertEquals("Accepted for alice", accepted.status().reason());

        // OPTIONS to alice is relayed to the registered contact, with the script's header and Record-Route.
        UserAgent caller = agent("caller", null);
        var tx = caller.client().request(caller.client().newRequest(Method.OPTIONS, aor).build(), proxy);
        ServerTransaction got = atUas.poll(20, TimeUnit.SECONDS);
        assertEquals("v1", got.request().header(HeaderName.of("X-Script")).orElseThrow());
        assertTrue(got.request().header(HeaderName.of("Record-Route")).isPresent());
        assertEquals(uasContact.toString(), got.request().requestUri().toString());
        got.respond(200);
        assertEquals(200, tx.response().get(20, TimeUnit.SECONDS).statusCode());

        SipRequest unknown = caller.client().newRequest(Method.OPTIONS, SipUri.of("bob", "127.0.0.1", -1)).build();
        assertEquals(404, caller.client().request(unknown, proxy).response().get(20, TimeUnit.SECONDS).statusCode());

        // Editing the file reloads it (watch): new behaviour without a restart.
        BlockingQueue<ReloadResult> reloads = new LinkedBlockingQueue<>();
        FakeHosts.script(dir, "proxy.js", "export function onRequest(req, sip) { sip.reply(299, 'Version Two'); }\n");
        waitFor(() -> rt.version().number() == 2, "the watcher reloads version 2");
        SipResponse v2 = caller.client().request(caller.client().newRequest(Method.OPTIONS, aor).build(), proxy)
                .response().get(20, TimeUnit.SECONDS);
        assertEquals("Version Two", v2.status().reason());
        assertInstanceOf(ReloadResult.Unchanged.class, rt.reload());

        rt.close();
        ScriptStats s = rt.stats();
        assertEquals(0, s.liveContexts());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.storeEntries());
        assertEquals(1, s.reloads());
        assertTrue(s.handled() >= 7, s::toString);
        assertEquals(0, rt.proxy().stats().liveContexts(), () -> rt.proxy().stats().toString());
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }
}
