package sip.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-in, message-out tests of the first pass (start line, header index, Content-Length). */
class SipParserTest {
    static final String INVITE = """
        INVITE sip:bob@biloxi.example.com SIP/2.0\r
        Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r
        Max-Forwards: 70\r
        To: Bob <sip:bob@biloxi.example.com>\r
        From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r
        Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r
        CSeq: 314159 INVITE\r
        X-Custom:   some,  value ; with=stuff  \r
        Content-Length: 4\r
        \r
        bodyTRAILING""";

    static final SipParser LAZY = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();

    static SipMessage parsed(SipParser p, String text) {
        ParseResult r = p.parse(text.getBytes(UTF_8));
        return assertInstanceOf(ParseResult.Parsed.class, r, () -> r.toString()).message();
    }

    static ParseError malformed(SipParser p, String text) {
        ParseResult r = p.parse(text.getBytes(UTF_8));
        return assertInstanceOf(ParseResult.Malformed.class, r, () -> r.toString()).error();
    }

    @Test
    void indexesStartLineHeadersAndBody() {
        SipRequest req = (SipRequest) parsed(LAZY, INVITE);
        assertEquals(Method.INVITE, req.method());
        assertEquals(8, req.headers().size());
        assertEquals("a84b4c76e66710@pc33.atlanta.example.com", req.header(StandardHeader.CALL_ID).orElseThrow());
        assertEquals("some,  value ; with=stuff", req.header("x-custom").orElseThrow());
        assertArrayEquals("body".getBytes(UTF_8), req.body(), "trailing datagram bytes are not body");
        assertEquals(4, req.bodyLength());
        assertTrue(req.hasHeader(HeaderName.of("i")), "compact name finds the long one");
        assertFalse(req.hasHeader(HeaderName.of("Subject")));
    }

    @Test
    void fastTagReadersAgreeWithTheTypedViews() {
        String[][] cases = {
            {"Alice <sip:alice@atlanta.example.com>;tag=1928301774", "1928301774"},
            {"\"A;tag=x\" <sip:a@b;tag=inuri>;foo=\"q;tag=no\";TAG=real", "real"},
            {"sip:a@b;tag=bare ; other=1", "bare"},
            {"<sip:a@b>", null},
            {"<sip:a@b>;tag=one;tag=two", "one"},
            {"<sip:a@b>;tag", null},
            {"<sip:a@b>;;tag=x", "<error>"},
        };
        for (String[] c : cases) {
            SipMessage fast = parsed(LAZY, INVITE.replace("Alice <sip:alice@atlanta.example.com>;tag=1928301774", c[0]));
            SipMessage typed = parsed(LAZY, INVITE.replace("Alice <sip:alice@atlanta.example.com>;tag=1928301774", c[0]));
            String viaFast;
            String viaTyped;
            try {
                viaFast = fast.fromTag();
            } catch (SipParseException e) {
                viaFast = "<error>";
            }
            try {
                viaTyped = typed.from().tag();
            } catch (SipParseException e) {
                viaTyped = "<error>";
            }
            assertEquals(c[1], viaTyped, c[0]);
            assertEquals(viaTyped, viaFast, c[0]);
        }
        assertEquals(null, parsed(LAZY, INVITE).toTag());
    }

    @Test
    void untouchedMessageSerialisesByteExactly() {
        SipMessage m = parsed(LAZY, INVITE);
        String expected = INVITE.substring(0, INVITE.indexOf("TRAILING"));
        assertEquals(expected, new String(m.toBytes(), UTF_8));
    }

    @Test
    void leadingLineEndsAreSkipped() {
        SipRequest req = (SipRequest) parsed(LAZY, "\r\n\r\n" + INVITE);
        assertEquals(Method.INVITE, req.method());
    }

    @Test
    void everyStandardNameIsFoundOnTheWireInAnyCase() {
        for (StandardHeader h : StandardHeader.values()) {
            for (String name : new String[] {h.canonical(), h.canonical().toUpperCase(), h.canonical().toLowerCase()}) {
                SipMessage m = parsed(LAZY, "OPTIONS sip:a@example.com SIP/2.0\r\n" + name + ": 0\r\n\r\n");
                assertEquals(h, m.headers().get(0).name(), name);
            }
        }
        SipMessage m = parsed(LAZY, INVITE.replace("X-Custom:", "X-Via:"));
        assertInstanceOf(ExtensionHeader.class, m.headers().get(m.headers().size() - 2).name());
    }

    @Test
    void extensionMethodIsCaseSensitive() {
        SipRequest req = (SipRequest) parsed(LAZY, INVITE.replaceFirst("INVITE", "invite"));
        assertEquals("invite", req.method().name());
        assertFalse(req.method().isKnown());
    }

    @Test
    void foldedValuesUnfoldToOneSpace() {
        SipMessage m = parsed(LAZY, INVITE.replace("X-Custom:   some,  value ; with=stuff  \r\n",
            "Subject: first\r\n   second\r\n\tthird\r\n"));
        assertEquals("first second third", m.header("Subject").orElseThrow());
    }

    @Test
    void valueMayStartOnAContinuationLine() {
        SipMessage m = parsed(LAZY, INVITE.replace("Content-Length: 4", "Content-Length:\r\n   4")
            .replace("X-Custom:   some,", "X-Custom:\r\n\tsome,"));
        assertEquals(4, m.bodyLength());
        assertEquals("some,  value ; with=stuff", m.header("X-Custom").orElseThrow());
    }

    @Test
    void statusLineWithEmptyReason() {
        SipResponse r = (SipResponse) parsed(LAZY, "SIP/2.0 100 \r\nContent-Length: 0\r\n\r\n");
        assertEquals(100, r.statusCode());
        assertEquals("", r.status().reason());
    }

    @Test
    void statusLineUtf8Reason() {
        SipResponse r = (SipResponse) parsed(LAZY, "SIP/2.0 200 Très bien\r\nContent-Length: 0\r\n\r\n");
        assertEquals("Très bien", r.status().reason());
    }

    @Test
    void startLineErrors() {
        assertEquals(400, malformed(LAZY, INVITE.replace("INVITE sip", "INVITE  sip")).status().code());
        assertEquals(400, malformed(LAZY, INVITE.replace("SIP/2.0\r\nVia", "SIP/2.0 \r\nVia")).status().code());
        assertEquals(505, malformed(LAZY, INVITE.replace("com SIP/2.0", "com SIP/7.0")).status().code());
        assertEquals(400, malformed(LAZY, INVITE.replace("sip:bob@biloxi.example.com SIP", "<sip:bob@biloxi.example.com> SIP")).status().code());
        assertEquals(400, malformed(LAZY, INVITE.replace("sip:bob@biloxi.example.com SIP", "sip:bob@biloxi.example.com; lr SIP")).status().code());
        assertEquals(400, malformed(LAZY, "SIP/2.0 4294967301 Huh\r\nContent-Length: 0\r\n\r\n").status().code());
        assertEquals(400, malformed(LAZY, "SIP/2.0 099 Low\r\nContent-Length: 0\r\n\r\n").status().code());
        ParseError e = malformed(LAZY, "garbage\r\n\r\n");
        assertEquals(1, e.line());
    }

    @Test
    void contentLengthErrors() {
        ParseError tooMuch = malformed(LAZY, INVITE.replace("Content-Length: 4", "Content-Length: 400"));
        assertEquals(400, tooMuch.status().code());
        assertTrue(tooMuch.reason().contains("Content-Length"), tooMuch.reason());
        assertEquals(400, malformed(LAZY, INVITE.replace("Content-Length: 4", "Content-Length: -4")).status().code());
        assertEquals(413, malformed(LAZY, INVITE.replace("Content-Length: 4", "Content-Length: 99999999999999999999999")).status().code());
        ParseError twice = malformed(LAZY, INVITE.replace("Content-Length: 4", "Content-Length: 4\r\nl: 4"));
        assertEquals(400, twice.status().code());
        assertEquals(StandardHeader.CONTENT_LENGTH, twice.headerName());
    }

    @Test
    void singleValuedHeaderTwiceIsRejectedWithPartialMessage() {
        ParseResult r = LAZY.parse(INVITE.replace("CSeq: 314159 INVITE", "CSeq: 314159 INVITE\r\nCall-ID: other").getBytes(UTF_8));
        ParseResult.Malformed m = assertInstanceOf(ParseResult.Malformed.class, r);
        assertEquals(StandardHeader.CALL_ID, m.error().headerName());
        SipMessage partial = m.partial().orElseThrow();
        assertEquals("a84b4c76e66710@pc33.atlanta.example.com", partial.header(StandardHeader.CALL_ID).orElseThrow());
    }

    @Test
    void missingContentLengthOnDatagramRunsToTheEnd() {
        SipMessage m = parsed(LAZY, INVITE.replace("Content-Length: 4\r\n", ""));
        assertEquals("bodyTRAILING", new String(m.body(), UTF_8));
        assertTrue(new String(m.toBytes(), UTF_8).contains("Content-Length: 12\r\n"), "serialiser adds it");
    }

    @Test
    void bareLfIsANamedViolation() {
        String lf = INVITE.replace("\r\n", "\n");
        List<Violation> told = new ArrayList<>();
        SipParser lenient = SipParser.newBuilder().validation(SipParser.Validation.LAZY)
            .listener((v, d) -> told.add(v)).build();
        SipMessage m = parsed(lenient, lf);
        assertEquals(List.of(Violation.BARE_LF), told);
        assertTrue(m.violations().contains(Violation.BARE_LF));
        String out = new String(m.toBytes(), UTF_8);
        assertFalse(out.replace("\r\n", "").contains("\n"), "re-serialised with CRLF: " + out);
        SipParser strict = SipParser.newBuilder().compliance(Compliance.STRICT)
            .validation(SipParser.Validation.LAZY).build();
        ParseError e = malformed(strict, lf);
        assertEquals(400, e.status().code());
        assertEquals(Violation.BARE_LF, e.violation().orElseThrow(), "the error names what strict refused");
        assertTrue(malformed(strict, INVITE.replace("Content-Length: 4", "Content-Length: -1")).violation().isEmpty());
    }

    @Test
    void partialMessagesSerialiseToWholeMessages() {
        ParseResult r = LAZY.parse("SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Length: 0\r\nSubject: abc\u0001def\r\n\r\n".getBytes(UTF_8));
        SipMessage partial = assertInstanceOf(ParseResult.Malformed.class, r).partial().orElseThrow();
        SipMessage again = parsed(LAZY, new String(partial.toBytes(), UTF_8));
        assertEquals("x", again.header("Call-ID").orElseThrow());
        assertFalse(again.hasHeader(StandardHeader.SUBJECT));
    }

    @Test
    void tabIsNoRequestLineSeparator() {
        assertEquals(400, malformed(LAZY, INVITE.replace("com SIP/2.0", "com\tSIP/2.0")).status().code());
        assertEquals(400, malformed(LAZY, INVITE.replace("INVITE sip", "INVITE\tsip")).status().code());
    }

    @Test
    void inReplyToIsAList() {
        SipMessage m = parsed(LAZY, INVITE.replace("Max-Forwards: 70", "In-Reply-To: a@b\r\nIn-Reply-To: c@d\r\nMax-Forwards: 70"));
        assertEquals(2, m.headerValues(StandardHeader.IN_REPLY_TO).size());
    }

    @Test
    void limits() {
        SipParser small = SipParser.newBuilder().validation(SipParser.Validation.LAZY).maxMessageSize(200).build();
        assertEquals(413, malformed(small, INVITE).status().code());
        SipParser few = SipParser.newBuilder().validation(SipParser.Validation.LAZY).maxHeaderCount(3).build();
        assertEquals(400, malformed(few, INVITE).status().code());
        SipParser shortLines = SipParser.newBuilder().validation(SipParser.Validation.LAZY).maxLineLength(40).build();
        ParseError e = malformed(shortLines, INVITE);
        assertTrue(e.reason().contains("longer than"), e.reason());
    }

    @Test
    void maxMessageSizeIsTheLimitTheParserApplies() {
        assertEquals(65_536, SipParser.lenient().maxMessageSize());
        SipParser small = SipParser.newBuilder().validation(SipParser.Validation.LAZY).maxMessageSize(200).build();
        assertEquals(200, small.maxMessageSize());
        assertInstanceOf(ParseResult.Parsed.class, small.parse(messageOf(200).getBytes(UTF_8)), "exactly the limit");
        assertEquals(413, malformed(small, messageOf(201)).status().code());
    }

    /** An OPTIONS of exactly {@code total} bytes (a 3-digit Content-Length), its body padding. */
    private static String messageOf(int total) {
        String head = "OPTIONS sip:a.test SIP/2.0\r\nContent-Length: %03d\r\n\r\n";
        int body = total - head.formatted(0).length();
        String message = head.formatted(body) + "x".repeat(body);
        assertEquals(total, message.length());
        return message;
    }

    @Test
    void builderLimitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> SipParser.newBuilder().maxMessageSize((4 << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> SipParser.newBuilder().maxMessageSize(63));
        assertThrows(IllegalArgumentException.class, () -> SipParser.newBuilder().maxHeaderCount(0));
        assertThrows(IllegalArgumentException.class, () -> SipParser.newBuilder().maxLineLength(31));
        assertEquals(Compliance.STRICT, SipParser.strict().compliance());
    }

    @Test
    void controlCharactersInValuesAreRejected() {
        assertEquals(400, malformed(LAZY, INVITE.replace("some,", "so\u0001me,")).status().code());
        assertEquals(400, malformed(LAZY, INVITE.replace("some,", "so\rme,")).status().code());
    }

    @Test
    void controlBytesAreFoundAtEveryOffsetOfALongValue() {
        // the first pass scans eight bytes at a time: try every position within the words
        String value = "abcdefghijklmnopqrstuvwxyz0123456789é€ABCDEFGH";
        assertEquals(value, parsed(LAZY, INVITE.replace("some,  value ; with=stuff", value)).header("X-Custom").orElseThrow());
        for (int k = 0; k < value.length(); k++) {
            for (char bad : new char[] {'\u0000', '\u0001', '\u001f', '\u007f', '\r', '\u000b'}) {
                String v = value.substring(0, k) + bad + value.substring(k);
                ParseResult r = LAZY.parse(INVITE.replace("some,  value ; with=stuff", v).getBytes(UTF_8));
                assertInstanceOf(ParseResult.Malformed.class, r, "byte " + (int) bad + " at " + k);
            }
        }
    }

    @Test
    void headerLineWithoutColonIsRejectedWithLine() {
        ParseError e = malformed(LAZY, INVITE.replace("Max-Forwards: 70", "Max-Forwards 70"));
        assertEquals(3, e.line());
        assertEquals(400, e.status().code());
    }

    @Test
    void emptyAndNoHeaderEndDatagrams() {
        assertEquals(400, malformed(LAZY, "\r\n\r\n").status().code());
        assertEquals(400, malformed(LAZY, "OPTIONS sip:a@b SIP/2.0\r\nVia: x").status().code());
    }

    @Test
    void offsetParseCopiesSoTheCallerMayReuseItsBuffer() {
        byte[] framed = ("XX" + INVITE).getBytes(UTF_8);
        ParseResult r = LAZY.parse(framed, 2, framed.length - 2);
        SipMessage m = assertInstanceOf(ParseResult.Parsed.class, r).message();
        // Overwrite the caller's buffer, then read values the message had not parsed yet.
        java.util.Arrays.fill(framed, (byte) 'Z');
        assertEquals("a84b4c76e66710@pc33.atlanta.example.com", m.header(StandardHeader.CALL_ID).orElseThrow());
        assertEquals("z9hG4bK776asdhds", m.topVia().branch());
        assertEquals(INVITE.substring(0, INVITE.indexOf("TRAILING")), new String(m.toBytes(), UTF_8));
    }
}
