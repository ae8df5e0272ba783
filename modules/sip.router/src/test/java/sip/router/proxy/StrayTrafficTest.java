package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.memUri;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.UserAgent;

/**
 * Traffic that belongs to no relay of this proxy (review rev1 findings 1–5): forged in-dialog
 * requests, stray ACKs, CANCELs and 2xx responses, and a CANCEL racing the callee's 2xx.
 */
@Timeout(60)
class StrayTrafficTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    /** A UAC whose every request goes to the proxy, whatever its Request-URI (an attacker's raw send). */
    private UserAgent viaProxy() throws Exception {
        return bed.agent("uac", UAC,
                b -> b.serverLocator((uri, protocols) -> List.of(Destination.of("mem", PROXY))), "mem");
    }

    /**
     * Security: a forged To tag plus a Route naming the proxy skips the handler entirely; a handler
     * that refuses everything (auth, toll-fraud policy) never sees this INVITE.
     */
    @Test
    void aForgedInDialogInviteStillGoesThroughTheHandler() throws Exception {
        Proxy proxy = bed.proxy();
        proxy.onRequest(req -> req.transaction().respond(403));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        SipRequest plain = ProxyBed.invite(uac, memUri("premium", UAS1));
        SipRequest forged = plain.toBuilder()
                .to(plain.to().withTag("forged"))
                .add(HeaderType.ROUTE, NameAddress.of(SipUri.parse("sip:10.0.0.10:5060;transport=mem;lr")))
                .build();
        ClientTransaction call = uac.client().request(forged, Destination.of("mem", PROXY));
        ProxyBed.await(() -> !uas.requests.isEmpty() || call.response().isDone(), "relayed or answered");
        assertTrue(uas.requests.isEmpty(), "the forged in-dialog INVITE reached the UAS without the handler");
        assertEquals(403, call.response().get(10, TimeUnit.SECONDS).statusCode());
    }

    /** A real dialog's BYE carries our token: relayed without the handler, both Record-Routes tokened. */
    @Test
    void aRecordRoutedDialogsByeSkipsTheHandlerAndAForgedOneDoesNot() throws Exception {
        Proxy proxy = bed.proxy();
        List<ProxyRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        proxy.onRequest(req -> {
            seen.add(req);
            proxy.relay(req, req.request().requestUri());
        });
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        SipRequest invite = ProxyBed.invite(uac, memUri("bob", UAS1));
        ClientTransaction call = uac.client().request(invite, Destination.of("mem", PROXY));
        sip.router.ServerTransaction atUas = uas.take(Method.INVITE);
        List<NameAddress> rr = atUas.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(1, rr.size());
        assertTrue(((SipUri) rr.getFirst().uri()).parameter("pr") != null, "a dialog token: " + rr);
        atUas.respond(200);
        sip.message.SipResponse ok = call.response().get(10, TimeUnit.SECONDS);
        uac.client().ack(invite, ok);
        ProxyBed.await(() -> uas.acks.size() == 1, "the ACK follows our token");

        ClientTransaction bye = uac.client().request(ProxyBed.inDialog(uac, Method.BYE, invite, ok, 2));
        uas.take(Method.BYE).respond(200);
        assertEquals(200, bye.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1, seen.size(), "only the INVITE went through the handler");
        assertFalse(seen.getFirst().inDialog());

        // The same BYE with the token of another Call-ID: the handler sees it, flagged in-dialog.
        SipRequest real = ProxyBed.inDialog(uac, Method.BYE, invite, ok, 3);
        SipRequest forged = real.toBuilder().callId("another-call").build();
        ClientTransaction forgedTx = uac.client().request(forged);
        uas.take(Method.BYE).respond(200);
        assertEquals(200, forgedTx.response().get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(2, seen.size());
        assertTrue(seen.get(1).inDialog());
        bed.drain();
    }

    /** Security: an ACK matching no dialog, Request-URI elsewhere, no Route: relayed to any host. */
    @Test
    void aStrayAckWithoutOurRouteIsNotRelayedAnywhere() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent uac = viaProxy();
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        SipRequest ack = SipRequest.builder(Method.ACK, memUri("victim", UAS1))
                .callId("stray-ack-1")
                .from(NameAddress.of(SipUri.parse("sip:a@10.0.0.1")).withTag("f1"))
                .to(NameAddress.of(SipUri.parse("sip:victim@10.0.0.2")).withTag("t1"))
                .cseq(1)
                .build();
        uac.client().sendStateless(ack);
        ProxyBed.await(() -> !bed.sent(ProxyBed.from(UAC).and(ProxyBed.startsWith("ACK"))).isEmpty(), "ACK sent");
        // Counted once the proxy decided to drop it: nothing for this message can leave after that.
        ProxyBed.await(() -> proxy.stats().strayDropped() == 1, "counted");
        bed.settle();
        assertEquals(0, bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAS1))).size(),
                "the proxy forwarded an ACK no dialog of its own asked for");
        assertTrue(uas.acks.isEmpty());
        assertEquals(1, proxy.stats().strayDropped());
    }

    /** RFC 3261 §16.10: a CANCEL with no response context MUST be forwarded statelessly, not 481. */
    @Test
    void aCancelMatchingNoContextIsForwardedStatelessly() throws Exception {
        bed.proxy();
        UserAgent uac = viaProxy();
        bed.uas("uas", UAS1);
        SipRequest cancel = SipRequest.builder(Method.CANCEL, memUri("bob", UAS1))
                .callId("unknown-cancel-1")
                .from(NameAddress.of(SipUri.parse("sip:a@10.0.0.1")).withTag("f1"))
                .to(NameAddress.of(SipUri.parse("sip:bob@10.0.0.2")))
                .cseq(1)
                .build();
        uac.client().sendStateless(cancel);
        ProxyBed.await(() -> !bed.sent(ProxyBed.from(PROXY)).isEmpty(), "the proxy reacted");
        bed.settle();
        assertEquals(1, bed.sent(ProxyBed.from(PROXY).and(ProxyBed.startsWith("CANCEL"))).size(),
                "sent by the proxy: " + bed.sent(ProxyBed.from(PROXY)));
        // The callee's 481 (it has no such INVITE) comes back through the proxy: our branch.
        ProxyBed.await(() -> !bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAC))
                .and(ProxyBed.startsWith("SIP/2.0 481"))).isEmpty(), "the callee's answer relayed back");
    }

    /** A CANCEL for this proxy itself, or naming it by a Route without our token: 481, not forwarded. */
    @Test
    void anUnmatchedCancelNamingUsWithoutATokenIsAnswered481() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent uac = viaProxy();
        bed.uas("uas", UAS1);
        SipRequest cancel = SipRequest.builder(Method.CANCEL, memUri("bob", UAS1))
                .callId("unknown-cancel-2")
                .from(NameAddress.of(SipUri.parse("sip:a@10.0.0.1")).withTag("f1"))
                .to(NameAddress.of(SipUri.parse("sip:bob@10.0.0.2")))
                .cseq(1)
                .add(HeaderType.ROUTE, NameAddress.of(SipUri.parse("sip:10.0.0.10:5060;transport=mem;lr;pr=forged")))
                .build();
        uac.client().sendStateless(cancel);
        ProxyBed.await(() -> !bed.sent(ProxyBed.from(PROXY).and(ProxyBed.startsWith("SIP/2.0 481"))).isEmpty(),
                "481 from the proxy");
        bed.settle();
        assertEquals(0, bed.sent(ProxyBed.from(PROXY).and(ProxyBed.startsWith("CANCEL"))).size());
        assertEquals(1, proxy.stats().strayDropped());
    }

    /**
     * Hardening: a forged 2xx to INVITE whose top Via merely names the proxy (no branch of ours)
     * is reflected to whatever the second Via says.
     */
    @Test
    void aForged2xxIsNotReflectedToItsSecondVia() throws Exception {
        Proxy proxy = bed.proxy();
        UserAgent attacker = bed.agent("uac", UAC, "mem");
        bed.uas("victim", UAS1);
        SipRequest fake = SipRequest.builder(Method.INVITE, memUri("x", PROXY))
                .callId("reflect-1")
                .from(NameAddress.of(SipUri.parse("sip:a@10.0.0.1")).withTag("f1"))
                .to(NameAddress.of(SipUri.parse("sip:b@10.0.0.2")))
                .cseq(1)
                .via(sip.message.Via.of("MEM", "10.0.0.2", 5060, "z9hG4bK-victim"))
                .via(sip.message.Via.of("MEM", "10.0.0.10", 5060, "z9hG4bK-never-ours"))
                .build();
        sip.message.SipResponse ok = sip.message.SipResponse.builder(fake, 200).build();
        attacker.client().sendStateless(ok);
        // Counted once the proxy decided to drop it: nothing for this message can leave after that.
        ProxyBed.await(() -> proxy.stats().strayDropped() == 1, "counted");
        bed.settle();
        assertEquals(0, bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAS1))).size(),
                "a 200 for a branch the proxy never made was reflected to the second Via");
    }

    /**
     * RFC 3261 §16.7 item 6: the best response goes upstream only once every client transaction
     * of the context terminated. A CANCEL before the branch's first provisional gets a local 487
     * at once; the callee, which never saw a CANCEL, answers 200: the caller has a 487 and a stray
     * 200 for a call the callee believes is up.
     */
    @Test
    void aCancelBeforeAnyProvisionalDoesNotGiveTheCallerA487WhileTheCalleeAnswers() throws Exception {
        Proxy proxy = bed.proxy();
        proxy.onRequest(req -> proxy.relay(req, req.request().requestUri()));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1);
        bed.drop(ProxyBed.from(UAS1).and(ProxyBed.startsWith("SIP/2.0 100")));
        java.util.List<sip.message.SipResponse> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        call.onResponse(seen::add);
        sip.router.ServerTransaction atUas = uas.take(Method.INVITE);
        bed.advance(java.time.Duration.ofMillis(200));
        ProxyBed.await(() -> !call.provisionalResponses().isEmpty(), "100 Trying from the proxy");
        call.cancel();
        ProxyBed.await(() -> bed.sent(ProxyBed.from(PROXY).and(ProxyBed.to(UAC))).stream()
                .anyMatch(m -> m.toString().contains("CANCEL") && m.toString().startsWith("SIP/2.0 200")),
                "the proxy answered the CANCEL");
        bed.settle();
        atUas.respond(200); // the callee answers; no CANCEL can reach it yet (§9.1)
        ProxyBed.await(() -> call.response().isDone(), "a final response at the caller");
        bed.settle();
        assertEquals(200, call.response().get().statusCode(),
                "the caller got " + call.response().get().statusCode() + " while the callee answered 200; seen: "
                        + seen.stream().map(sip.message.SipResponse::statusCode).toList());
    }

    /** §16.7 item 6 after a 6xx: a branch without a provisional is waited for, and its 2xx goes up. */
    @Test
    void aTwoHundredAfterASixHundredOfAnotherBranchReachesTheCaller() throws Exception {
        Proxy proxy = bed.proxy();
        proxy.onRequest(req -> proxy.relay(req, List.of(Target.of(memUri("bob", UAS1)),
                Target.of(memUri("bob", ProxyBed.UAS2))), RelayOptions.defaults()));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas1 = bed.uas("uas1", UAS1);
        ProxyBed.Uas uas2 = bed.uas("uas2", ProxyBed.UAS2);
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", PROXY)),
                Destination.of("mem", PROXY));
        sip.router.ServerTransaction at1 = uas1.take(Method.INVITE);
        sip.router.ServerTransaction at2 = uas2.take(Method.INVITE);
        at1.respond(603);
        bed.settle();
        at2.respond(200); // it had sent nothing yet, so no CANCEL could reach it (§9.1)
        assertEquals(200, call.response().get(10, TimeUnit.SECONDS).statusCode());
        bed.drain();
    }
}
