package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.message.HeaderAssertions.one;
import static sip.message.HeaderAssertions.rejects;
import static sip.message.HeaderAssertions.roundTrips;

import org.junit.jupiter.api.Test;

class AuthValueTest {
    private static final String CHALLENGE = "Digest realm=\"atlanta.com\",\r\n"
        + "  domain=\"sip:boxesbybob.com\", qop=\"auth,auth-int\",\r\n"
        + "  nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n"
        + "  opaque=\"\", stale=FALSE, algorithm=MD5";

    @Test
    void digestChallenge() {
        AuthValue a = one(HeaderType.WWW_AUTHENTICATE, CHALLENGE);
        assertTrue(a.isDigest());
        assertEquals(7, a.parameters().size());
        assertEquals("atlanta.com", a.parameter("realm"));
        assertEquals("auth,auth-int", a.parameter("qop"));
        assertEquals("", a.parameter("opaque"));
        assertTrue(a.parameters().isQuoted(4));
        assertEquals("FALSE", a.parameter("stale"));
        assertFalse(a.parameters().isQuoted(5));
    }

    @Test
    void digestCredentials() {
        AuthValue a = one(HeaderType.AUTHORIZATION, "Digest username=\"bob\", realm=\"biloxi.com\", "
            + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", qop=auth, "
            + "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
            + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=SHA-256, userhash=false");
        assertEquals("00000001", a.parameter("nc"));
        assertEquals("sip:bob@biloxi.com", a.parameter("uri"));
        assertEquals("SHA-256", a.parameter("algorithm"));
        assertEquals(11, a.parameters().size());
    }

    @Test
    void unknownSchemeAndEmptyParams() {
        // RFC 4475 regaut01
        AuthValue a = one(HeaderType.AUTHORIZATION, "NoOneKnowsThisScheme opaque-data=here");
        assertEquals("NoOneKnowsThisScheme", a.scheme());
        assertEquals("here", a.parameter("opaque-data"));
        AuthValue empty = one(HeaderType.PROXY_AUTHENTICATE, "Digest");
        assertTrue(empty.parameters().isEmpty());
        assertEquals("x", one(HeaderType.PROXY_AUTHORIZATION, "Digest a = x ").parameter("a"));
    }

    @Test
    void escapedQuotesInValues() {
        AuthValue a = one(HeaderType.WWW_AUTHENTICATE, "Digest realm=\"a \\\"b\\\" \\\\c\"");
        assertEquals("a \"b\" \\c", a.parameter("realm"));
    }

    @Test
    void malformed() {
        rejects(HeaderType.AUTHORIZATION, "Digest realm", "'='");
        rejects(HeaderType.AUTHORIZATION, "Digest realm=", "empty value");
        rejects(HeaderType.AUTHORIZATION, "Digest realm=\"x", "unterminated");
        rejects(HeaderType.AUTHORIZATION, "Digest a=b c=d", "','");
        rejects(HeaderType.AUTHORIZATION, "Digest a=b,", "parameter name");
        rejects(HeaderType.AUTHORIZATION, "Digest a=b,,c=d", "parameter name");
        rejects(HeaderType.AUTHORIZATION, "Digest,a=b", "whitespace");
        rejects(HeaderType.AUTHORIZATION, "\"Digest\" a=b", "token");
    }

    @Test
    void roundTrip() {
        roundTrips(HeaderType.WWW_AUTHENTICATE, one(HeaderType.WWW_AUTHENTICATE, CHALLENGE));
        AuthValue a = one(HeaderType.WWW_AUTHENTICATE, CHALLENGE);
        assertEquals("Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", qop=\"auth,auth-int\", "
            + "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5", a.toString());
        roundTrips(HeaderType.AUTHORIZATION, one(HeaderType.AUTHORIZATION, "NoOneKnowsThisScheme opaque-data=here"));
        roundTrips(HeaderType.AUTHORIZATION, one(HeaderType.AUTHORIZATION, "Digest"));
        roundTrips(HeaderType.AUTHORIZATION, one(HeaderType.AUTHORIZATION, "Digest realm=\"a \\\"b\\\" \\\\c\""));
    }
}
