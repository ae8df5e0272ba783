package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.Destination;
import sip.router.SipTimers;
import sip.router.UserAgent;
import sip.router.VirtualScheduler;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Flow;

/**
 * A registrar behind a real {@link UserAgent} on the in-memory {@code mem} network: Alice
 * registers, Bob queries Alice's AoR, the binding expires on the registrar's virtual clock. The
 * user agents run on wall-clock time with short timers; only the bindings' clock is virtual, so
 * expiry needs no waiting.
 */
@Timeout(30)
class RegistrarEndToEndTest {

    private static final InetSocketAddress REGISTRAR = new InetSocketAddress("10.0.0.1", 5060);
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.2", 5060);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.3", 5060);
    private static final SipUri ALICE_AOR = SipUri.parse("sip:alice@example.com");
    private static final SipTimers FAST = new SipTimers(Duration.ofMillis(20), Duration.ofMillis(80),
            Duration.ofMillis(100));

    private final LoopbackNetwork network = LoopbackNetwork.newBuilder().build();
    private final VirtualScheduler bindingClock = new VirtualScheduler();
    private final LocationService store = LocationService.inMemory(bindingClock);
    private final List<UserAgent> agents = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        agents.forEach(UserAgent::close);
        store.close();
        network.close();
    }

    private UserAgent agent(String name, InetSocketAddress at) throws Exception {
        UserAgent ua = UserAgent.newBuilder().name(name).timers(FAST)
                .transportConfig(network.transportConfig().build())
                .closeTimeout(Duration.ofMillis(200)).build();
        agents.add(ua);
        ua.listen("mem", at.getAddress().getHostAddress() + ":" + at.getPort());
        return ua;
    }

    private static SipResponse register(UserAgent ua, String extra, Contact... contacts) throws Exception {
        SipRequest.Builder b = ua.client().newRequest(Method.REGISTER, SipUri.of("example.com"))
                .to(NameAddress.of(ALICE_AOR));
        for (Contact c : contacts) {
            b.contact(c);
        }
        if (!extra.isEmpty()) {
            b.addHeader("Supported", extra);
        }
        return ua.client().request(b.build(), Destination.of("mem", REGISTRAR)).response().get(10, TimeUnit.SECONDS);
    }

    @Test
    void registerQueryAndExpireOverTheWire() throws Exception {
        UserAgent registrarUa = agent("registrar", REGISTRAR);
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        registrarUa.server().supported("path").onRegister(registrar.handler());
        UserAgent alice = agent("alice", ALICE);
        UserAgent bob = agent("bob", BOB);

        SipResponse ok = register(alice, "path",
                Contact.of(NameAddress.of(SipUri.of("alice", "10.0.0.2", 5060)).withParameter("expires", "120")),
                Contact.of(NameAddress.of(SipUri.of("alice-desk", "10.0.0.2", 5060)).withParameter("q", "0.5")));
        assertEquals(200, ok.statusCode());
        assertEquals(List.of("<sip:alice@10.0.0.2:5060>;expires=120", "<sip:alice-desk@10.0.0.2:5060>;q=0.5;expires=3600"),
                ok.headerValues(StandardHeader.CONTACT));
        assertNotNull(ok.toTag(), "answered through the server transaction, with its To tag");

        List<Binding> bound = store.lookup(AddressOfRecord.of(ALICE_AOR));
        assertEquals(2, bound.size());
        Flow flow = bound.getFirst().flow();
        assertEquals("mem", flow.protocol());
        assertEquals(ALICE, flow.remote());
        assertEquals(REGISTRAR, flow.local());

        // A third party queries Alice's bindings: a REGISTER without Contact.
        SipResponse query = register(bob, "");
        assertEquals(200, query.statusCode());
        // The bindings' clock has not moved: the same remaining expiries, in preference order.
        assertEquals(ok.headerValues(StandardHeader.CONTACT), query.headerValues(StandardHeader.CONTACT));
        assertEquals(ALICE_AOR, query.to().uri());

        bindingClock.advance(Duration.ofSeconds(120));
        assertEquals(List.of("<sip:alice-desk@10.0.0.2:5060>;q=0.5;expires=3480"),
                register(bob, "").headerValues(StandardHeader.CONTACT));
        bindingClock.advance(Duration.ofSeconds(3480));
        assertEquals(List.of(), register(bob, "").headerValues(StandardHeader.CONTACT));
        assertEquals(0, store.bindingCount());
        assertEquals(0, store.aorCount());

        awaitIdle(registrarUa, alice, bob);
    }

    @Test
    void aRejectionTravelsBackWithItsHeaders() throws Exception {
        UserAgent registrarUa = agent("registrar", REGISTRAR);
        registrarUa.server().onRegister(Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build().handler());
        UserAgent alice = agent("alice", ALICE);
        SipResponse brief = register(alice, "",
                Contact.of(NameAddress.of(SipUri.of("alice", "10.0.0.2", 5060)).withParameter("expires", "5")));
        assertEquals(423, brief.statusCode());
        assertEquals(60L, brief.first(HeaderType.MIN_EXPIRES).orElseThrow());
        assertEquals(0, store.bindingCount());
        awaitIdle(registrarUa, alice);
    }

    @Test
    void aRequestForTheAorGoesBackOverTheFlowItRegisteredOn() throws Exception {
        // Alice registers over a stream from an ephemeral port, with a Contact nobody can reach
        // (as behind a NAT): the binding's flow is the way back, as a proxy would use it.
        UserAgent registrarUa = agent("registrar", REGISTRAR);
        registrarUa.listen("mem-stream", "10.0.0.1:5060");
        registrarUa.server().onRegister(Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build().handler());
        UserAgent alice = agent("alice", ALICE);
        List<Flow> reached = new java.util.concurrent.CopyOnWriteArrayList<>();
        alice.server().onMessage(tx -> {
            reached.add(tx.flow());
            tx.respond(200);
        });
        SipRequest register = alice.client().newRequest(Method.REGISTER, SipUri.of("example.com"))
                .to(NameAddress.of(ALICE_AOR))
                .contact(Contact.of(NameAddress.of(SipUri.parse("sip:alice@192.0.2.99:5060;transport=tcp"))))
                .addHeader("Path", "<sip:edge.example.com;lr>")
                .build();
        SipResponse ok = alice.client().request(register, Destination.of("mem-stream", REGISTRAR))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode());

        Binding b = store.lookup(AddressOfRecord.of(ALICE_AOR)).getFirst();
        assertEquals(List.of(NameAddress.of(SipUri.parse("sip:edge.example.com;lr"))), b.path());
        Flow flow = b.flow();
        assertEquals("mem-stream", flow.protocol());
        assertEquals(REGISTRAR, flow.local());
        SipRequest message = registrarUa.client().newRequest(Method.MESSAGE, b.uri()).build();
        SipResponse delivered = registrarUa.client()
                .request(message, Destination.of(flow.protocol(), flow.remote()))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(200, delivered.statusCode());
        assertEquals(1, reached.size());
        assertEquals(flow.remote(), reached.getFirst().local(), "over the connection Alice opened");
        assertEquals(REGISTRAR, reached.getFirst().remote());
        awaitIdle(registrarUa, alice);
    }

    private static void awaitIdle(UserAgent... uas) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (UserAgent ua : uas) {
            while (ua.stats().liveTransactions() > 0) {
                if (System.nanoTime() > deadline) {
                    fail(ua.name() + " still has live transactions: " + ua.stats());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }
}
