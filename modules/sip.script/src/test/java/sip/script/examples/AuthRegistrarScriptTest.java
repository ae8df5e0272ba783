package sip.script.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sip.script.testing.Outcome;
import sip.script.testing.ScriptTester;

/** examples/auth-registrar.js: Digest-protected registrar with its users in config.auth, proxy to them. */
class AuthRegistrarScriptTest {

    private ScriptTester t;

    @BeforeEach
    void load() {
        t = ScriptTester.load(Examples.script("auth-registrar.js"));
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void theUsersAreInTheConfig() {
        assertEquals("parley.test", t.config().auth().orElseThrow().realm());
        assertEquals(Map.of("alice", "alice-secret", "bob", "bob-secret"), t.config().auth().orElseThrow().users());
    }

    @Test
    void aRegisterWithoutCredentialsIsChallenged() {
        Outcome o = t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2")).assertReplied(401);
        String challenge = o.replied().orElseThrow().header("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Digest ") && challenge.contains("realm=\"parley.test\""), challenge);
        assertEquals(List.of(), t.contacts("sip:alice@example.test"), "nothing bound");
    }

    @Test
    void aUserRegistersWithThePasswordAndIsCalled() {
        t.withCredentials("alice", "alice-secret");
        Outcome reg = t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2")).assertReplied(200);
        assertEquals(1, reg.challenges().size());
        assertEquals(List.of("sip:alice@10.0.0.2"), t.contacts("sip:alice@example.test"));

        t.withoutCredentials();
        t.send(t.invite("sip:alice@example.test")).assertRelayed().to("sip:alice@10.0.0.2").withRecordRoute();
        t.send(t.invite("sip:nobody@example.test")).assertReplied(404);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserBindsNothing() {
        t.withCredentials("alice", "guess");
        t.send(t.register("sip:alice@example.test").contact("sip:alice@10.0.0.2")).assertReplied(401);
        t.withCredentials("mallory", "anything");
        t.send(t.register("sip:mallory@example.test").contact("sip:mallory@10.6.6.6")).assertReplied(401);
        assertEquals(List.of(), t.contacts("sip:alice@example.test"));
        assertEquals(List.of(), t.contacts("sip:mallory@example.test"));
    }

    @Test
    void aUserCannotRegisterSomeoneElsesAddress() {
        t.withCredentials("alice", "alice-secret");
        t.send(t.register("sip:bob@example.test").contact("sip:alice@10.0.0.2")).assertReplied(403);
        assertEquals(List.of(), t.contacts("sip:bob@example.test"));
    }

    @Test
    void aCallClaimingToBeFromAUserMustProveIt() {
        t.withCredentials("bob", "bob-secret");
        t.send(t.register("sip:bob@example.test").contact("sip:bob@10.0.0.3")).assertReplied(200);
        t.withoutCredentials();

        t.send(t.invite("sip:bob@example.test").from("sip:alice@example.test")).assertReplied(407);

        t.withCredentials("alice", "alice-secret");
        Outcome call = t.send(t.invite("sip:bob@example.test").from("sip:alice@example.test"));
        call.assertRelayed().to("sip:bob@10.0.0.3").withRecordRoute();
        call.assertLogged("call from alice to sip:bob@example.test");
        assertEquals(407, call.challenges().getFirst().statusCode());

        t.withCredentials("bob", "bob-secret");
        t.send(t.invite("sip:bob@example.test").from("sip:alice@example.test")).assertReplied(403);
    }

    @Test
    void callsFromOutsideNeedNoPassword() {
        t.withCredentials("bob", "bob-secret");
        t.send(t.register("sip:bob@example.test").contact("sip:bob@10.0.0.3")).assertReplied(200);
        t.withoutCredentials();
        t.send(t.invite("sip:bob@example.test").from("sip:someone@far.example")).assertRelayed().to("sip:bob@10.0.0.3");
        t.send(t.invite("sip:bob@example.test:5060")).assertRelayed().to("sip:bob@10.0.0.3");
    }
}
