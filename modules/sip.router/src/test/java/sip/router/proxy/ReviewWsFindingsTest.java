package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Contact;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;

/**
 * REVIEW-R findings needing the proxy test bed. Here, not in sip.router, because
 * {@link ProxyBed} is package-private. "Browsers" as in FlowOnlyPeersTest: mem-stream, no
 * listener, a {@code *.invalid} Via and Contact.
 */
@Timeout(60)
class ReviewWsFindingsTest {

    private static final InetSocketAddress BROWSER = new InetSocketAddress("10.0.0.7", 5060);
    private static final SipUri BOB = SipUri.parse("sip:bob@example.com");

    private final ProxyBed bed = new ProxyBed();
    private final LocationService store = LocationService.inMemory(bed.clock);
    private Proxy proxy;

    @AfterEach
    void close() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        bed.close();
        store.close();
    }

    @Test
    void anAckTowardsAClosedFlowIsDroppedNotSentToWhoeverHoldsThatAddressNow() throws Exception {
        UserAgent proxyUa = bed.agent("proxy", PROXY, "mem", "mem-stream");
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        proxyUa.server().onFlowClosed(registrar::flowClosed);
        proxy = Proxy.newBuilder(proxyUa).build();
        proxy.onRequest(req -> {
            if (req.request().method().equals(Method.REGISTER)) {
                registrar.handler().handle(req.transaction());
            } else {
                proxy.relay(req, store.lookup(AddressOfRecord.of(BOB)).stream().map(Target::of).toList(),
                        RelayOptions.defaults());
            }
        });
        ProxyBed.Uas browser = new ProxyBed.Uas(bed.agent("browser", BROWSER, b -> b.hostName("k2j3h4l5.invalid")));
        SipRequest register = browser.ua.client().newRequest(Method.REGISTER, SipUri.of("example.com"))
                .to(NameAddress.of(BOB)).contact(Contact.of(SipUri.parse("sip:bob@k2j3h4l5.invalid;transport=mem-stream")))
                .build();
        assertEquals(200, browser.ua.client().request(register, Destination.of("mem-stream", PROXY))
                .response().get(10, TimeUnit.SECONDS).statusCode());

        UserAgent uac = bed.agent("uac", UAC, "mem");
        SipRequest invite = ProxyBed.invite(uac, BOB);
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        ServerTransaction atBrowser = browser.take(Method.INVITE);
        InetSocketAddress browserEnd = atBrowser.flow().local(); // its connection's own address
        atBrowser.respond(200);
        SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        uac.client().ack(invite, ok);
        ProxyBed.await(() -> browser.acks.size() == 1, "ACK over the browser's flow");

        // The browser leaves; its address (NAT binding, port) now belongs to someone else.
        browser.ua.close();
        ProxyBed.await(() -> store.lookup(AddressOfRecord.of(BOB)).isEmpty(), "binding removed with its flow");
        ProxyBed.Uas other = bed.uas("other", browserEnd, "mem-stream");
        ProxyStats before = proxy.stats();

        uac.client().ack(invite, ok); // the 2xx ACK again (the 200 was retransmitted): its Route names the dead flow
        ProxyBed.await(() -> !other.acks.isEmpty() || proxy.stats().statelessForwarded() > before.statelessForwarded()
                || proxy.stats().strayDropped() > before.strayDropped(), "the ACK delivered, forwarded or counted as dropped");

        assertTrue(other.acks.isEmpty(), "the ACK went over a new connection to another peer at the browser's old address");
        assertEquals(before.statelessForwarded(), proxy.stats().statelessForwarded(),
                "an ACK for a flow that no longer exists cannot be forwarded (RFC 5626 §5.3), only dropped");
    }
}
