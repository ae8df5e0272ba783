package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;

import java.util.List;
import java.util.concurrent.TimeUnit;
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
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;

/**
 * The proxy as registrar and home proxy: REGISTER to itself goes to the {@link Registrar}, an
 * INVITE to the AoR is relayed to the binding — over the flow its REGISTER came on, with its
 * Path as Route values (RFC 3327) — and an unknown AoR gets 404.
 */
@Timeout(60)
class RegistrarRoutingTest {

    private static final SipUri BOB_AOR = SipUri.parse("sip:bob@example.com");
    /** Nobody listens here: only the REGISTER's flow reaches Bob. */
    private static final SipUri BOB_CONTACT = SipUri.parse("sip:bob@10.0.0.2:5099;transport=mem-stream");
    private static final NameAddress EDGE = NameAddress.of(SipUri.parse("sip:edge.example.com;lr"));

    private final ProxyBed bed = new ProxyBed();
    private final LocationService store = LocationService.inMemory(bed.clock);

    @AfterEach
    void close() throws Exception {
        bed.close();
        store.close();
    }

    @Test
    void invitesToARegisteredAorFollowTheBindingsFlowAndPath() throws Exception {
        Proxy proxy = bed.proxy();
        Registrar registrar = Registrar.newBuilder(store).authorizer(RegisterAuthorizer.allowAll()).build();
        proxy.onRequest(req -> {
            if (req.request().method().equals(Method.REGISTER)) {
                registrar.handler().handle(req.transaction());
                return;
            }
            List<Target> targets = store.lookup(AddressOfRecord.of(req.request().requestUri())).stream()
                    .map(Target::of).toList();
            if (targets.isEmpty()) {
                req.transaction().respond(404);
                return;
            }
            proxy.relay(req, targets, RelayOptions.defaults());
        });
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas bob = bed.uas("bob", UAS1, "mem-stream");

        SipRequest register = bob.ua.client().newRequest(Method.REGISTER, SipUri.of("example.com"))
                .to(NameAddress.of(BOB_AOR))
                .contact(Contact.of(BOB_CONTACT))
                .add(HeaderType.PATH, EDGE)
                .addHeader("Supported", "path")
                .build();
        SipResponse registered = bob.ua.client().request(register, Destination.of("mem-stream", PROXY))
                .response().get(10, TimeUnit.SECONDS);
        assertEquals(200, registered.statusCode());
        assertEquals(1, store.bindingCount());

        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, BOB_AOR), Destination.of("mem", PROXY));
        ServerTransaction at = bob.take(Method.INVITE);
        assertEquals(BOB_CONTACT, at.request().requestUri(), "retargeted to the contact");
        assertEquals(List.of(EDGE), at.request().all(HeaderType.ROUTE), "the Path as a preloaded Route");
        assertEquals("mem-stream", at.flow().protocol(), "over the REGISTER's connection");
        at.respond(486);
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode());

        SipRequest toNobody = ProxyBed.invite(uac, SipUri.parse("sip:carol@example.com"));
        assertEquals(404, uac.client().request(toNobody, Destination.of("mem", PROXY)).response()
                .get(10, TimeUnit.SECONDS).statusCode());
        assertFalse(bob.requests.stream().anyMatch(tx -> tx.request().method().equals(Method.INVITE)));
        bed.drain();
    }
}
