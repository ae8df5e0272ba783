package sip.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {
    static final SipUri BOB = SipUri.parse("sip:bob@biloxi.example.com");
    static final SipUri ALICE = SipUri.parse("sip:alice@atlanta.example.com");

    static SipRequest.Builder invite() {
        return SipRequest.builder(Method.INVITE, BOB)
            .via(Via.of("UDP", "pc33.atlanta.example.com", -1, "z9hG4bK776asdhds"))
            .from(NameAddress.of("Alice", ALICE).withTag("1928301774"))
            .to(NameAddress.of("Bob", BOB))
            .callId("a84b4c76e66710@pc33.atlanta.example.com")
            .cseq(314159);
    }

    static SipMessage reparse(SipMessage m) {
        ParseResult r = SipParser.strict().parse(m.toBytes());
        return assertInstanceOf(ParseResult.Parsed.class, r, r::toString).message();
    }

    @Test
    void builtRequestIsCanonicalAndParsesStrictly() {
        SipRequest req = invite().body(ContentType.APPLICATION_SDP, "v=0\r\n".getBytes(UTF_8)).build();
        String wire = req.toString();
        assertTrue(wire.startsWith("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"), wire);
        assertTrue(wire.contains("\r\nMax-Forwards: 70\r\n"), "default Max-Forwards: " + wire);
        assertTrue(wire.contains("\r\nContent-Length: 5\r\n\r\nv=0\r\n"), wire);
        SipRequest back = (SipRequest) reparse(req);
        assertEquals(Method.INVITE, back.method());
        assertEquals(new CSeq(314159, Method.INVITE), back.cseq());
        assertEquals("Alice", back.from().displayName());
        assertEquals("1928301774", back.from().tag());
        assertEquals(BOB, back.requestUri());
        assertEquals(ContentType.APPLICATION_SDP.mediaType(), back.contentType().orElseThrow().mediaType());
        assertArrayEquals("v=0\r\n".getBytes(UTF_8), back.body());
    }

    @Test
    void missingMandatoryHeadersAreNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> SipRequest.builder(Method.OPTIONS, BOB).callId("x").build());
        assertTrue(e.getMessage().contains("From") && e.getMessage().contains("To")
            && e.getMessage().contains("CSeq") && !e.getMessage().contains("Call-ID"), e.getMessage());
    }

    @Test
    void cseqMethodMustMatch() {
        SipRequest.Builder b = invite().method(Method.OPTIONS);
        assertThrows(IllegalStateException.class, b::build);
        assertEquals(Method.OPTIONS, b.cseq(1).build().cseq().method());
    }

    @Test
    void crLfCannotBeInjectedThroughTheApi() {
        assertThrows(IllegalArgumentException.class, () -> invite().addHeader("X-A", "v\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> invite().addHeader("X-A", "v\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> invite().addHeader("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> invite().callId("abc\r\nVia: x"));
        assertThrows(IllegalArgumentException.class, () -> NameAddress.of("Eve\r\nX: y", ALICE));
        assertThrows(IllegalArgumentException.class, () -> Status.of(200, "OK\r\nX: y"));
    }

    @Test
    void responseForRequestCopiesWhatRfc3261Says() {
        SipRequest req = (SipRequest) reparse(invite()
            .addHeader("Record-Route", "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>")
            .addHeader("Timestamp", "54")
            .addHeader("Subject", "not copied")
            .build());
        SipResponse ringing = SipResponse.forRequest(req, 180);
        assertEquals(180, ringing.statusCode());
        assertEquals("Ringing", ringing.status().reason());
        assertEquals(req.vias(), ringing.vias());
        assertEquals(req.from(), ringing.from());
        assertEquals(req.callId(), ringing.callId());
        assertEquals(req.cseq(), ringing.cseq());
        assertNotNull(ringing.to().tag(), "UAS adds a To tag (§8.2.6.2)");
        assertTrue(ringing.to().tag().length() >= 8);
        assertEquals(2, ringing.all(HeaderType.RECORD_ROUTE).size(), "dialog-creating: Record-Route copied (§12.1.1)");
        assertFalse(ringing.hasHeader(StandardHeader.TIMESTAMP));
        assertFalse(ringing.hasHeader(HeaderName.of("Subject")));

        SipResponse trying = SipResponse.forRequest(req, 100);
        assertNull(trying.to().tag(), "100 Trying needs no tag");
        assertEquals("54", trying.header(StandardHeader.TIMESTAMP).orElseThrow(), "§8.2.6.1");
        assertFalse(trying.hasHeader(StandardHeader.RECORD_ROUTE));

        SipResponse notFound = SipResponse.forRequest(req, 404);
        assertFalse(notFound.hasHeader(StandardHeader.RECORD_ROUTE));
        assertEquals(ringing.to().tag(), notFound.to().tag(), "one To tag for every response to a request");

        SipResponse tagged = SipResponse.builder(req, 200).toTag("fixed").build();
        assertEquals("fixed", tagged.to().tag());
        assertEquals("Bob", ((SipResponse) reparse(tagged)).to().displayName());
    }

    @Test
    void valuesThatWouldParseDifferentlyAreRefused() {
        // a Via host smuggling a second Via, a Call-ID with spaces, an impossible Max-Forwards
        assertThrows(IllegalArgumentException.class,
            () -> invite().via(Via.of("UDP", "evil.example.com;branch=z9hG4bKx, SIP/2.0/UDP victim", 5060, "z9hG4bK1")));
        assertThrows(IllegalArgumentException.class, () -> invite().callId("has space, and;more"));
        assertThrows(IllegalArgumentException.class, () -> invite().maxForwards(-1));
        assertThrows(IllegalArgumentException.class, () -> invite().maxForwards(256));
        assertThrows(IllegalArgumentException.class, () -> invite().addHeader("Via", "not a via"));
        assertThrows(IllegalArgumentException.class, () -> invite().addHeader("X-A", "bell\u0007"));
        assertThrows(IllegalArgumentException.class, () -> Status.of(200, "O\u0000K"));
        assertThrows(IllegalArgumentException.class, () -> new ExtensionHeader("Content-Length"));
        assertThrows(IllegalArgumentException.class, () -> new ExtensionHeader("l"));
        assertThrows(IllegalArgumentException.class, () -> new AbsoluteUri("urn\r\nX-Injected: 1\r\nurn", "x"));
        assertThrows(IllegalArgumentException.class, () -> new AbsoluteUri("urn", "x SIP/2.0"));
        assertEquals("urn:ietf:params:x", new AbsoluteUri("urn", "ietf:params:x").toString());
    }

    @Test
    void numericParameterAccessorsNeverThrowOnValuesAUserSet() {
        Via via = Via.of("UDP", "h.example.com", 5060, "z9hG4bK1").withParameter("rport", "x").withParameter("ttl", "99999999999");
        assertTrue(via.rport().isEmpty());
        assertTrue(via.ttl().isEmpty());
        assertEquals(5061, Via.of("UDP", "h", -1, "z9hG4bK1").withRport(5061).rport().getAsInt());
        Contact c = Contact.of(NameAddress.of(ALICE).withParameter("expires", "soon").withParameter("q", "2.5"));
        assertTrue(c.expires().isEmpty());
        assertTrue(c.q().isEmpty());
        Contact ok = Contact.of(NameAddress.of(ALICE).withParameter("expires", "3600").withParameter("q", "0.7"));
        assertEquals(3600, ok.expires().getAsLong());
        assertEquals(0.7, ok.q().getAsDouble(), 1e-9);
        assertTrue(new Reason("SIP", Parameters.of("cause", "abc")).cause().isEmpty());
        assertEquals(200, new Reason("SIP", Parameters.of("cause", "200")).cause().getAsInt());
        assertTrue(new SubscriptionState("active", Parameters.of("expires", "-1")).expires().isEmpty());
    }

    @Test
    void singleHeadersAreReplacedNotRepeated() {
        SipRequest r = invite().add(HeaderType.CALL_ID, "second").addHeader("Call-ID", "third").build();
        assertEquals(List.of("third"), r.headerValues(StandardHeader.CALL_ID));
        assertEquals("third", reparse(r).callId());
    }

    @Test
    void nulInAQuotedDisplayNameSurvivesAResponse() {
        // RFC 4475 intmeth carries quoted-pairs with control bytes; a UAS must still answer it.
        String msg = "OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            + "To: \"null-\\\u0000-x\" <sip:a@example.com>\r\nFrom: <sip:b@example.com>;tag=1\r\n"
            + "Call-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SipRequest req = (SipRequest) ((ParseResult.Parsed) SipParser.lenient().parse(msg.getBytes(UTF_8))).message();
        assertEquals("null-\u0000-x", req.to().displayName());
        SipResponse ok = SipResponse.forRequest(req, 200);
        assertEquals("null-\u0000-x", ((SipResponse) reparse(ok)).to().displayName());
    }

    @Test
    void proxyForwardKeepsUntouchedBytesAndFixesContentLength() {
        String original = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            + "v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "t:    Bob <sip:bob@biloxi.example.com>\r\n"
            + "f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            + "i: a84b4c76e66710@pc33.atlanta.example.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "X-Odd:  keep   these   spaces\r\n"
            + "l: 0\r\n\r\n";
        SipRequest req = (SipRequest) ((ParseResult.Parsed) SipParser.lenient().parse(original.getBytes(UTF_8))).message();
        SipRequest fwd = req.toBuilder()
            .addFirst(HeaderType.VIA, Via.of("UDP", "proxy.example.com", 5060, "z9hG4bKproxy1"))
            .maxForwards(req.maxForwards().orElseThrow() - 1)
            .build();
        String out = fwd.toString();
        assertTrue(out.contains("Via: SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bKproxy1\r\n"
            + "v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"), out);
        assertTrue(out.contains("\r\nMax-Forwards: 69\r\n"), out);
        for (String line : List.of("t:    Bob <sip:bob@biloxi.example.com>", "X-Odd:  keep   these   spaces",
                "i: a84b4c76e66710@pc33.atlanta.example.com", "l: 0")) {
            assertTrue(out.contains("\r\n" + line + "\r\n"), "byte-exact: " + line);
        }
        assertEquals("z9hG4bKproxy1", fwd.topVia().branch());
        assertEquals(2, reparse(fwd).vias().size());

        SipRequest withBody = req.toBuilder().body(ContentType.of("text", "plain"), "hi".getBytes(UTF_8)).build();
        assertTrue(withBody.toString().contains("\r\nl: 2\r\n") || withBody.toString().contains("Content-Length: 2\r\n"));
        assertEquals(2, reparse(withBody).bodyLength());
    }

    @Test
    void removeFirstSplitsACommaJoinedField() {
        SipResponse r = (SipResponse) ((ParseResult.Parsed) SipParser.lenient().parse((
            "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"
            + "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n"
            + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\n"
            + "Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(UTF_8))).message();
        SipResponse popped = r.toBuilder().removeFirst(HeaderType.VIA).build();
        assertEquals(List.of("b.example.com", "c.example.com"), popped.vias().stream().map(Via::host).toList());
        SipResponse twice = popped.toBuilder().removeFirst(HeaderType.VIA).build();
        assertEquals(List.of("c.example.com"), twice.vias().stream().map(Via::host).toList());
    }

    @Test
    void setReplacesEveryFieldInPlace() {
        SipRequest req = invite().addHeader("Subject", "a").addHeader("X-Other", "b").addHeader("Subject", "c").build();
        SipRequest changed = req.toBuilder().setHeader("subject", "only").build();
        assertEquals(List.of("only"), changed.headerValues(HeaderName.of("Subject")));
        List<HeaderField> fields = changed.headers();
        int subject = fields.indexOf(new HeaderField(StandardHeader.SUBJECT, "only"));
        assertEquals("X-Other", fields.get(subject + 1).name().canonical(), "kept the first one's place");
        assertFalse(changed.toBuilder().removeHeader(StandardHeader.SUBJECT).build().hasHeader(StandardHeader.SUBJECT));
    }

    @org.junit.jupiter.api.Test
    void aResponseToARequestWithABrokenToCopiesTheFieldAsItCame() {
        String wire = "INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKbroken\r\n"
                + "To: \"Bob <sip:bob@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=9\r\nCall-ID: broken-to\r\nCSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
        SipParser lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
        SipRequest request = (SipRequest) ((ParseResult.Parsed) lazy.parse(
                wire.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).message();
        SipResponse answer = SipResponse.forRequest(request, 400);
        org.junit.jupiter.api.Assertions.assertEquals("\"Bob <sip:bob@example.com>",
                answer.header(StandardHeader.TO).orElseThrow());
        org.junit.jupiter.api.Assertions.assertEquals("broken-to", answer.callId());
    }
}
