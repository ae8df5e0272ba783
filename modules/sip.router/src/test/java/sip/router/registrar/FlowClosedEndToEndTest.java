package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipMessage;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.UserAgent;
import sip.router.VirtualScheduler;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.Transports;

/**
 * {@link sip.router.Server#onFlowClosed} wired to {@link Registrar#flowClosed} behind a real user
 * agent on the in-memory stream transport: phones register over connections of their own with
 * {@code *.invalid} Contacts (as WebSocket phones do); when one phone's connection closes, its
 * binding goes at once, long before it expires, and nobody else's does.
 */
@Timeout(30)
class FlowClosedEndToEndTest {

    private static final InetSocketAddress REGISTRAR = new InetSocketAddress("10.0.0.1", 5060);
    private static final AddressOfRecord ALICE = AddressOfRecord.of(SipUri.parse("sip:alice@example.com"));
    private static final AddressOfRecord BOB = AddressOfRecord.of(SipUri.parse("sip:bob@example.com"));

    private final LoopbackNetwork network = LoopbackNetwork.newBuilder().build();
    private final LocationService store = LocationService.inMemory(new VirtualScheduler());
    private final BlockingQueue<SipMessage> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Flow> closedFlows = new LinkedBlockingQueue<>();
    private UserAgent registrarUa;
    /** One transport per phone: connect reuses a connection to the same address. */
    private final List<Transport> phones = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        phones.forEach(Transport::close);
        if (registrarUa != null) {
            registrarUa.close();
        }
        store.close();
        network.close();
    }

    @Test
    void aClosedConnectionTakesItsFlowOnlyBindingsAlong() throws Exception {
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        registrarUa = UserAgent.newBuilder().name("registrar")
                .transportConfig(network.transportConfig().build()).closeTimeout(Duration.ZERO).build();
        registrarUa.listen("mem-stream", "10.0.0.1:5060");
        registrarUa.server().onRegister(registrar.handler()).onFlowClosed(flow -> {
            registrar.flowClosed(flow);
            closedFlows.add(flow);
        });
        Connection alice = phone();
        register(alice, "alice", "Contact: <sip:alice@df7jal23ls0d.invalid;transport=mem-stream>\r\n"
                + "Contact: <sip:alice@192.0.2.99:5060;transport=tcp>\r\n");
        Connection bob = phone();
        register(bob, "bob", "Contact: <sip:bob@k2j3h4l5.invalid;transport=mem-stream>\r\n");
        assertEquals(2, store.lookup(ALICE).size());
        assertEquals(1, store.lookup(BOB).size());
        Flow aliceFlow = store.lookup(ALICE).stream().filter(Binding::reachedOnlyOverFlow).findFirst().orElseThrow().flow();

        alice.close();

        Flow closed = closedFlows.poll(10, TimeUnit.SECONDS);
        assertEquals(aliceFlow, closed, "the listener is told the flow the binding names");
        await(() -> store.lookup(ALICE).size() == 1, "Alice's *.invalid binding removed");
        assertEquals("192.0.2.99", ((SipUri) store.lookup(ALICE).getFirst().uri()).host(),
                "her contact naming a host stays until it expires");
        assertEquals(1, store.lookup(BOB).size(), "Bob's connection is still open");

        bob.close();
        await(() -> store.lookup(BOB).isEmpty(), "Bob's binding removed with his connection");
    }

    private Connection phone() throws Exception {
        Transport t = Transports.open("mem-stream", network.transportConfig().build(),
                (InboundHandler) (c, m) -> received.add(m));
        phones.add(t);
        return t.connect(REGISTRAR);
    }

    private void register(Connection c, String user, String contacts) throws Exception {
        InetSocketAddress local = c.localAddress();
        String text = "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/MEM-STREAM " + user + ".invalid;branch=z9hG4bK-" + user + "\r\n"
                + "From: <sip:" + user + "@example.com>;tag=" + user + "\r\n"
                + "To: <sip:" + user + "@example.com>\r\n"
                + "Call-ID: reg-" + user + "-" + local.getPort() + "\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Max-Forwards: 70\r\n"
                + contacts
                + "Content-Length: 0\r\n\r\n";
        c.send(text.getBytes(StandardCharsets.UTF_8));
        SipMessage answer = received.poll(10, TimeUnit.SECONDS);
        if (answer == null) {
            fail(user + ": no answer to the REGISTER within 10 s");
        }
        assertEquals(200, assertInstanceOf(SipResponse.class, answer).statusCode(),
                "answered over the connection despite the .invalid sent-by");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
