package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * Route sets (RFC 3261 §12.1.1, §12.1.2, §12.2.1.1): the UAC reverses the 2xx's Record-Route,
 * the UAS keeps the INVITE's; loose routers go in Route with the remote target as Request-URI,
 * a strict router takes the Request-URI and the remote target goes last in Route. The "proxies"
 * here are the peers' own addresses, so every request still arrives where it can be checked.
 */
@Timeout(60)
class RouteSetTest {

    private static final NameAddress AT_BOB = NameAddress.of(SipUri.parse("sip:10.0.0.2:5060;transport=mem;lr"));
    private static final NameAddress ELSEWHERE = NameAddress.of(SipUri.parse("sip:10.0.0.7:5060;transport=mem;lr"));

    private final DialogBed bed = new DialogBed();
    private final BlockingQueue<SipRequest> byes = new LinkedBlockingQueue<>();
    private final BlockingQueue<SipRequest> acks = new LinkedBlockingQueue<>();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /** Bob without dialogs (issue 4 style): answers with {@code recordRoute} and records ACK and BYE. */
    private UserAgent plainBob(List<NameAddress> recordRoute) throws Exception {
        UserAgent bob = bed.agent(BOB);
        bob.server()
                .onInvite(tx -> {
                    var ok = tx.responseBuilder(200).body(ContentType.APPLICATION_SDP, ANSWER);
                    for (NameAddress r : recordRoute) {
                        ok.add(HeaderType.RECORD_ROUTE, r);
                    }
                    tx.respond(ok.build());
                })
                .onBye(tx -> {
                    byes.add(tx.request());
                    tx.respond(200);
                })
                .onAck((ack, flow) -> acks.add(ack));
        return bob;
    }

    @Test
    void uacReversesRecordRouteAndRoutesLoosely() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = plainBob(List.of(ELSEWHERE, AT_BOB));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        var ok = bed.await(call.answered(), "the 200");
        Uri contact = ok.contacts().getFirst().uri();
        assertEquals(List.of(AT_BOB, ELSEWHERE), call.routeSet(), "§12.1.2: Record-Route reversed");
        assertEquals(contact, call.remoteTarget());

        bed.until(() -> !acks.isEmpty(), "the ACK reaches Bob through the route");
        SipRequest ack = acks.poll();
        assertEquals(contact, ack.requestUri());
        assertEquals(List.of(AT_BOB, ELSEWHERE), ack.all(HeaderType.ROUTE));

        assertEquals(200, bed.await(call.bye(), "the BYE").statusCode());
        SipRequest bye = byes.poll();
        assertEquals(contact, bye.requestUri(), "loose routing: the remote target is the Request-URI");
        assertEquals(List.of(AT_BOB, ELSEWHERE), bye.all(HeaderType.ROUTE));
        bed.assertIdle(alice, bob);
    }

    @Test
    void strictRouterTakesTheRequestUri() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        NameAddress strict = NameAddress.of(SipUri.parse("sip:10.0.0.2:5060;transport=mem"));
        UserAgent bob = plainBob(List.of(strict));
        ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
        var ok = bed.await(call.answered(), "the 200");
        Uri contact = ok.contacts().getFirst().uri();

        assertEquals(200, bed.await(call.bye(), "the BYE").statusCode());
        SipRequest bye = byes.poll();
        // §12.2.1.1: the strict router's URI is the Request-URI, the remote target the last Route.
        assertEquals(strict.uri(), bye.requestUri());
        assertEquals(List.of(NameAddress.of(contact)), bye.all(HeaderType.ROUTE));
        bed.until(() -> !acks.isEmpty(), "the ACK");
        assertEquals(strict.uri(), acks.poll().requestUri());
        bed.assertIdle(alice, bob);
    }

    @Test
    void uasKeepsRecordRouteInOrder() throws Exception {
        UserAgent alice = bed.agent(ALICE);
        UserAgent bob = bed.agent(BOB);
        BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();
        bob.server().onDialog(incoming::add);
        NameAddress atAlice = NameAddress.of(SipUri.parse("sip:10.0.0.1:5060;transport=mem;lr"));
        SipRequest invite = alice.client().newRequest(Method.INVITE, uri("bob", BOB))
                .add(HeaderType.RECORD_ROUTE, atAlice)
                .add(HeaderType.RECORD_ROUTE, AT_BOB)
                .body(ContentType.APPLICATION_SDP, OFFER).build();
        ClientDialog call = alice.client().invite(invite);
        bed.until(() -> !incoming.isEmpty(), "the INVITE");
        ServerDialog callee = incoming.poll();
        assertEquals(List.of(atAlice, AT_BOB), callee.routeSet(), "§12.1.1: Record-Route as it came");
        callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
        assertEquals(List.of(AT_BOB, atAlice), bed.await(call.answered(), "the 200").all(HeaderType.RECORD_ROUTE)
                .reversed(), "the 2xx echoes Record-Route");
        bed.await(callee.acked(), "the ACK, through Bob's own route entry");

        assertEquals(200, bed.await(callee.bye(), "Bob's BYE reaches Alice").statusCode());
        SipRequest bye = bed.sent(DialogBed.request(Method.BYE, BOB)).getFirst().request();
        assertEquals(List.of(atAlice, AT_BOB), bye.all(HeaderType.ROUTE));
        assertEquals(callee.invite().contacts().getFirst().uri(), bye.requestUri());
        assertEquals(DialogEnd.Reason.BYE_RECEIVED, bed.await(call.terminated(), "Alice's end").reason());
        bed.assertIdle(alice, bob);
    }
}
