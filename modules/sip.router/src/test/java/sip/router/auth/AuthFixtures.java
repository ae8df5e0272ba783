package sip.router.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipUri;

/** Requests, a settable clock and parsing shared by the auth tests. */
final class AuthFixtures {
    static final String REALM = "example.com";

    private AuthFixtures() {}

    /** A clock tests move by hand: no sleeps. */
    static final class SettableClock implements InstantSource {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    static SipRequest register() {
        return request(Method.REGISTER, "sip:example.com");
    }

    static SipRequest request(Method method, String requestUri) {
        return SipRequest.builder(method, SipUri.parse(requestUri))
            .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("a1"))
            .to(NameAddress.of(SipUri.parse("sip:alice@example.com")))
            .callId("auth-test-call")
            .cseq(1)
            .build();
    }

    /**
     * Parses wire text written with \n line ends (turned into CRLF), validating headers lazily
     * as a transport does, so a malformed Authorization shows only when it is read.
     */
    static SipMessage parse(String text) {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        SipParser lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
        ParseResult result = lazy.parse(bytes);
        if (result instanceof ParseResult.Parsed(SipMessage m)) {
            return m;
        }
        throw new AssertionError("does not parse (" + result + "): " + text);
    }
}
