package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.NameAddress;
import sip.message.StandardHeader;
import sip.message.Via;
import sip.router.auth.Credentials;
import sip.router.auth.CredentialsProvider;

/**
 * RFC 3261 §16.7 item 7 has a forking proxy merge every
 * WWW-Authenticate and Proxy-Authenticate of all 401/407 into the one it forwards, so a 401 may
 * carry a Proxy-Authenticate (this repo's own BestResponse.withAllChallenges does exactly that).
 * The client answers each challenge with the header of its kind, whatever the status.
 */
class ChallengeMergeTest {

    @Test
    void aMerged401WithAProxyChallengeIsAnsweredForBothRealmsInOneRetry() {
        SipRequest sent = SipRequest.builder(Method.INVITE, SipUri.parse("sip:bob@example.com"))
                .callId("merge-1")
                .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("f"))
                .to(NameAddress.of(SipUri.parse("sip:bob@example.com")))
                .cseq(1)
                .via(Via.of("UDP", "192.0.2.1", 5060, "z9hG4bK-1"))
                .build();
        SipResponse merged = SipResponse.builder(sent, 401)
                .addHeader("WWW-Authenticate", "Digest realm=\"uas.example\", nonce=\"n1\", qop=\"auth\"")
                .addHeader("Proxy-Authenticate", "Digest realm=\"proxy.example\", nonce=\"n2\", qop=\"auth\"")
                .build();
        ChallengeAnswering answering = new ChallengeAnswering(CredentialsProvider.of(new Credentials("alice", "s")));
        Optional<SipRequest> retry = answering.retryFor(sent, merged);
        assertTrue(retry.isPresent());
        assertEquals(1, retry.get().headerValues(StandardHeader.AUTHORIZATION).size());
        assertEquals(1, retry.get().headerValues(StandardHeader.PROXY_AUTHORIZATION).size(),
                "the merged proxy challenge was not answered: " + retry.get());
        assertTrue(retry.get().headerValues(StandardHeader.PROXY_AUTHORIZATION).getFirst().contains("proxy.example"));
        assertTrue(retry.get().headerValues(StandardHeader.AUTHORIZATION).getFirst().contains("uas.example"));

        // The proxy challenges again, without stale, as a 407: its credentials were refused.
        SipResponse again = SipResponse.builder(retry.get(), 407)
                .addHeader("Proxy-Authenticate", "Digest realm=\"proxy.example\", nonce=\"n3\", qop=\"auth\"")
                .build();
        assertTrue(answering.retryFor(retry.get(), again).isEmpty(), "the same challenger, keyed by kind and realm");
    }
}
