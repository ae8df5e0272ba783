package sip.script.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sip.message.HeaderType;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;

/** examples/proxy.js, Parley's default script: registrar plus proxy to the registered contacts, 404 otherwise. */
class ProxyScriptTest {

    private ScriptTester t;

    @BeforeEach
    void load() {
        t = ScriptTester.load(Examples.script("proxy.js"));
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void listensOnUdpAndTcpOfLoopbackAndServesAnyDomain() {
        assertEquals(List.of("udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"), t.config().listen());
        assertEquals(List.of(), t.config().domains());
        assertTrue(t.config().auth().isEmpty());
    }

    @Test
    void aRegisteredUserIsCalledThroughTheProxyWithRecordRoute() {
        Outcome reg = t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060"));
        reg.assertReplied(200).assertNoError();
        assertEquals("<sip:alice@10.0.0.2:5060>;expires=3600", reg.replied().orElseThrow().header("Contact").orElseThrow());

        Outcome call = t.send(t.invite("sip:alice@example.test"));
        call.assertRelayed().to("sip:alice@10.0.0.2:5060").withRecordRoute().forking("parallel").answered(200);
        call.assertNoError().assertFinal(200);
        assertTrue(call.relays().getFirst().branches().getFirst().request().first(HeaderType.RECORD_ROUTE).isPresent());
    }

    @Test
    void theExampleOfExamplesReadmeHolds() {
        t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2:5060")).assertReplied(200);
        t.send(t.invite("sip:alice@example.test")).assertRelayed().to("sip:alice@10.0.0.2:5060").withRecordRoute();
        t.send(t.invite("sip:nobody@example.test")).assertReplied(404);
        t.onRelay(target -> 503);
        t.send(t.invite("sip:alice@example.test")).assertFinal(500);
        t.advance(Duration.ofHours(2));
        t.send(t.invite("sip:alice@example.test")).assertReplied(404);
    }

    @Test
    void theReadmeRegistrationTo127001Works() {
        t.send(t.register("sip:alice@127.0.0.1").contact("sip:alice@127.0.0.1:5070").expires(3600)).assertReplied(200);
        t.send(t.invite("sip:alice@127.0.0.1")).assertRelayed().to("sip:alice@127.0.0.1:5070");
    }

    @Test
    void sippsCallToTheProxysAddressAndPortFindsTheUser() {
        // sipsak -U ... -s sip:alice@127.0.0.1 binds sip:alice@127.0.0.1; `sipp -s alice 127.0.0.1:5060`
        // calls sip:alice@127.0.0.1:5060.
        t.send(t.register("sip:alice@127.0.0.1").contact("sip:alice@127.0.0.1:5070").expires(3600)).assertReplied(200);
        t.send(t.invite("sip:alice@127.0.0.1:5060")).assertRelayed().to("sip:alice@127.0.0.1:5070");
    }

    @Test
    void sipsaksDefaultExpiryIsBelowTheMinimum() {
        t.send(t.register("sip:alice@127.0.0.1").contact("sip:alice@127.0.0.1:5070").expires(15)).assertReplied(423);
    }

    @Test
    void anUnknownUserIs404() {
        t.send(t.invite("sip:nobody@example.test")).assertReplied(404, "Not Found").assertNoError();
        t.send(t.request("MESSAGE", "sip:nobody@example.test").body("text/plain", "hi")).assertReplied(404);
    }

    @Test
    void everyContactIsTriedInParallelBestQFirst() {
        t.send(t.register("sip:bob@example.test")
                .contact("<sip:bob@10.0.0.3:5060>;q=0.5").contact("<sip:bob@10.0.0.4:5060>;q=0.9")).assertReplied(200);
        t.onRelay(target -> target.contains("10.0.0.4") ? 486 : 200);
        Outcome call = t.send(t.invite("sip:bob@example.test"));
        call.assertRelayed().to("sip:bob@10.0.0.4:5060", "sip:bob@10.0.0.3:5060")
                .branches("sip:bob@10.0.0.4:5060", "sip:bob@10.0.0.3:5060").answered(200);
    }

    @Test
    void theCalleesFailureGoesBackToTheCaller() {
        t.send(t.register("sip:carol@example.test").contact("sip:carol@10.0.0.5")).assertReplied(200);
        t.onRelay(target -> 486);
        t.send(t.invite("sip:carol@example.test")).assertRelayed().answered(486).outcome().assertFinal(486);
    }

    @Test
    void aRegistrationEndsWhenItExpiresOrIsRemoved() {
        t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2").expires(120)).assertReplied(200);
        t.advance(Duration.ofSeconds(119));
        t.send(t.invite("sip:alice@example.test")).assertRelayed();
        t.advance(Duration.ofSeconds(2));
        t.send(t.invite("sip:alice@example.test")).assertReplied(404);

        t.send(t.register("sip:dave@example.test").contact("sip:dave@10.0.0.6")).assertReplied(200);
        t.send(t.register("sip:dave@example.test").contact("*").expires(0)).assertReplied(200);
        t.send(t.invite("sip:dave@example.test")).assertReplied(404);
    }

    @Test
    void aRegistrationForAnotherDomainThanTheRequestUriIs404() {
        t.send(t.request("REGISTER", "sip:example.test").to("sip:alice@elsewhere.test")
                .contact("sip:alice@10.0.0.2")).assertReplied(404);
    }

    @Test
    void optionsToTheProxyItselfIsAnswered() {
        t.send(t.request("OPTIONS", "sip:127.0.0.1")).assertReplied(200);
    }

    @Test
    void aStrayInDialogRequestIs404() {
        t.send(t.request("BYE", "sip:alice@10.0.0.2").toTag("t1")).assertReplied(404, "Not Here");
    }

    @Test
    void otherMethodsFollowTheRegistrationToo() {
        t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2")).assertReplied(200);
        t.send(t.request("MESSAGE", "sip:alice@example.test").body("text/plain", "hello"))
                .assertRelayed().to("sip:alice@10.0.0.2").withRecordRoute();
    }
}
