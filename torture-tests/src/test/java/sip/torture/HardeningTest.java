package sip.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.Compliance;
import sip.message.HeaderName;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.ParseError;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParseException;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.StreamFramer;
import sip.message.Via;
import sip.message.Violation;

/** The sipgo advisories and related hardening: missing headers, huge Content-Length, CRLF injection. */
class HardeningTest {

    static final List<String> HEADERS = List.of(
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds",
        "Max-Forwards: 70",
        "To: Bob <sip:bob@example.com>",
        "From: Alice <sip:alice@example.com>;tag=1928301774",
        "Call-ID: a84b4c76e66710@pc33.example.com",
        "CSeq: 314159 INVITE",
        "Contact: <sip:alice@pc33.example.com>",
        "Content-Length: 0");

    static byte[] request(List<String> headers, String eol) {
        StringBuilder sb = new StringBuilder("INVITE sip:bob@example.com SIP/2.0").append(eol);
        for (String h : headers) {
            sb.append(h).append(eol);
        }
        return sb.append(eol).toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<String> without(String... names) {
        List<String> out = new ArrayList<>();
        outer:
        for (String h : HEADERS) {
            for (String n : names) {
                if (h.startsWith(n + ":")) {
                    continue outer;
                }
            }
            out.add(h);
        }
        return out;
    }

    @Test
    void theTemplateIsValid() {
        SipMessage m = Checks.parsed(SipParser.strict().parse(request(HEADERS, "\r\n")), "template");
        assertEquals(Optional.empty(), m.validate());
        assertEquals(8, m.headers().size());
    }

    // ------------------------------------------------------------------ missing mandatory headers

    @ParameterizedTest
    @ValueSource(strings = {"To", "From", "Call-ID", "CSeq"})
    void missingMandatoryHeaderIs400NamingIt(String name) {
        HeaderName h = HeaderName.of(name);
        for (SipParser p : List.of(SipParser.lenient(), SipParser.strict())) {
            ParseResult r = p.parse(request(without(name), "\r\n"));
            ParseError e = Checks.malformed(r, "without " + name + " (" + p.compliance() + ")");
            Checks.assertStatus(400, e, "without " + name);
            Checks.assertNames(e, h);
            SipMessage partial = ((ParseResult.Malformed) r).partial()
                .orElseThrow(() -> new AssertionError("a partial message lets the UAS answer the 400"));
            Checks.exerciseAccessors(partial);
            SipParseException x = assertThrows(SipParseException.class, () -> {
                Object unused = switch (name) {
                    case "To" -> partial.to();
                    case "From" -> partial.from();
                    case "Call-ID" -> partial.callId();
                    default -> partial.cseq();
                };
            }, "reading the missing " + name);
            assertEquals(400, x.status().code());
            // what is there still serves to answer
            assertEquals("z9hG4bK776asdhds", partial.topVia().branch());
            if (!name.equals("Call-ID")) {
                assertEquals("a84b4c76e66710@pc33.example.com", partial.callId());
            }
        }
    }

    @Test
    void allMandatoryHeadersMissing() {
        ParseResult r = SipParser.lenient().parse(request(without("To", "From", "Call-ID", "CSeq"), "\r\n"));
        ParseError e = Checks.malformed(r, "without To, From, Call-ID, CSeq");
        Checks.assertStatus(400, e, "all missing");
        Checks.assertNames(e, StandardHeader.TO, StandardHeader.FROM, StandardHeader.CALL_ID, StandardHeader.CSEQ);
        ((ParseResult.Malformed) r).partial().ifPresent(Checks::exerciseAccessors);
        assertTrue(((ParseResult.Malformed) r).partial().isPresent(), "partial message with the Via");
    }

    @Test
    void onlyAStartLine() {
        ParseResult r = SipParser.lenient().parse("INVITE sip:bob@example.com SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Checks.assertStatus(400, Checks.malformed(r, "start line only"), "start line only");
        ((ParseResult.Malformed) r).partial().ifPresent(Checks::exerciseAccessors);
    }

    static Stream<Corpus.Entry> corpus() {
        return Corpus.all();
    }

    /** Whatever a corpus file parses to, no accessor of a partial message throws anything but SipParseException. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void partialMessagesOfTheCorporaOnlyThrowSipParseException(Corpus.Entry entry) {
        for (SipParser p : List.of(SipParser.lenient(), SipParser.strict(),
                SipParser.newBuilder().validation(SipParser.Validation.LAZY).build())) {
            switch (p.parse(entry.bytes())) {
                case ParseResult.Malformed m -> m.partial().ifPresent(Checks::exerciseAccessors);
                case ParseResult.Parsed ok -> Checks.exerciseAccessors(ok.message());
                case ParseResult other -> fail(entry + ": a datagram parse gave " + other);
            }
        }
    }

    // ------------------------------------------------------------------ huge Content-Length on a stream

    @ParameterizedTest
    @ValueSource(strings = {"2147483647", "99999999999", "65537"})
    void streamFramerRejectsHugeContentLengthAt413WithoutWaitingForTheBody(String length) {
        List<String> h = new ArrayList<>(without("Content-Length"));
        h.add("Content-Length: " + length);
        byte[] head = request(h, "\r\n");
        StreamFramer f = SipParser.lenient().newStreamFramer();
        f.feed(head, 0, head.length);
        ParseResult r = f.next();
        assertFalse(r instanceof ParseResult.NeedMore, "the framer must not wait for " + length + " body bytes");
        ParseError e = Checks.malformed(r, "Content-Length " + length);
        assertEquals(413, e.status().code(), "status: " + e);
        assertTrue(f.buffered() <= head.length, "buffered " + f.buffered());
    }

    @Test
    void streamFramerRejectsHugeContentLengthFedInSmallChunks() {
        List<String> h = new ArrayList<>(without("Content-Length"));
        h.add("Content-Length: 2147483647");
        byte[] head = request(h, "\r\n");
        StreamFramer f = SipParser.lenient().newStreamFramer();
        ParseResult r = new ParseResult.NeedMore();
        for (int i = 0; i < head.length && r instanceof ParseResult.NeedMore; i += 7) {
            f.feed(head, i, Math.min(7, head.length - i));
            r = f.next();
        }
        assertEquals(413, Checks.malformed(r, "chunked").status().code());
    }

    @Test
    void datagramWithContentLengthBeyondItsBytesIsRejected() {
        for (String len : List.of("2147483647", "99999999999")) {
            List<String> h = new ArrayList<>(without("Content-Length"));
            h.add("Content-Length: " + len);
            ParseError e = Checks.malformed(SipParser.lenient().parse(request(h, "\r\n")), "datagram CL " + len);
            assertTrue(e.status().code() == 400 || e.status().code() == 413, "status " + e);
        }
    }

    @Test
    void streamFramerSplitsMessagesAndSkipsLeadingCrlf() {
        byte[] one = request(HEADERS, "\r\n");
        byte[] all = new byte[2 + one.length * 2];
        all[0] = '\r';
        all[1] = '\n';
        System.arraycopy(one, 0, all, 2, one.length);
        System.arraycopy(one, 0, all, 2 + one.length, one.length);
        StreamFramer f = SipParser.lenient().newStreamFramer();
        f.feed(all, 0, all.length);
        int parsed = 0;
        for (ParseResult r = f.next(); !(r instanceof ParseResult.NeedMore); r = f.next()) {
            switch (r) {
                case ParseResult.Parsed p -> {
                    parsed++;
                    assertEquals("a84b4c76e66710@pc33.example.com", p.message().callId());
                }
                case ParseResult.KeepAlive k -> { }
                case ParseResult.Malformed m -> fail("malformed: " + m.error());
                default -> fail(String.valueOf(r));
            }
        }
        assertEquals(2, parsed);
        assertEquals(0, f.buffered());
    }

    // ------------------------------------------------------------------ leading CRLF, bare LF

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\r\n\r\n", "\r\n\r\n\r\n"})
    void leadingCrlfsBeforeAMessageAreSkipped(String prefix) {
        byte[] msg = request(HEADERS, "\r\n");
        byte[] b = new byte[prefix.length() + msg.length];
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, b, 0, prefix.length());
        System.arraycopy(msg, 0, b, prefix.length(), msg.length);
        for (SipParser p : List.of(SipParser.lenient(), SipParser.strict())) {
            SipMessage m = Checks.parsed(p.parse(b), "leading CRLF " + p.compliance());
            assertEquals(Method.INVITE, assertInstanceOf(SipRequest.class, m).method());
            assertEquals(Optional.empty(), m.validate());
            assertEquals(8, m.headers().size());
        }
    }

    @Test
    void bareLfIsAToleratedViolation() {
        byte[] b = request(HEADERS, "\n");
        Checks.Recorder lenient = new Checks.Recorder(Compliance.LENIENT);
        SipMessage m = Checks.parsed(lenient.parser.parse(b), "bare LF lenient");
        assertTrue(m.violations().contains(Violation.BARE_LF), "violations " + m.violations());
        assertTrue(lenient.set().contains(Violation.BARE_LF), "listener told " + lenient.details);
        assertEquals("a84b4c76e66710@pc33.example.com", m.callId());
        assertEquals(8, m.headers().size());
        assertEquals(Optional.empty(), m.validate());
        ParseError e = Checks.malformed(SipParser.strict().parse(b), "bare LF strict");
        Checks.assertStatus(400, e, "bare LF strict");
        Checks.assertNamesViolation(e, Violation.BARE_LF);
    }

    // ------------------------------------------------------------------ CR/LF injection in builders

    static SipRequest.Builder builder() {
        SipUri bob = SipUri.of("bob", "example.com", -1);
        return SipRequest.builder(Method.INVITE, bob)
            .from(NameAddress.of("Alice", SipUri.of("alice", "example.com", -1)).withTag("1928301774"))
            .to(NameAddress.of(bob))
            .callId("a84b4c76e66710@pc33.example.com")
            .cseq(314159);
    }

    @Test
    void theBuilderTemplateBuilds() {
        SipRequest r = builder().build();
        assertEquals(Method.INVITE, r.method());
        assertEquals("Alice", r.from().displayName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v\r\nInjected: 1", "v\nInjected: 1", "v\rInjected: 1", "\r\n", "v\r\n\r\nBODY"})
    void headerValuesWithCrOrLfAreRefused(String value) {
        SipRequest.Builder b1 = builder();
        assertThrows(IllegalArgumentException.class, () -> b1.addHeader("X-A", value).build());
        SipRequest.Builder b2 = builder();
        assertThrows(IllegalArgumentException.class, () -> b2.setHeader("X-A", value).build());
        SipRequest.Builder b3 = builder();
        assertThrows(IllegalArgumentException.class, () -> b3.addHeader(StandardHeader.SUBJECT, value).build());
        SipRequest.Builder b4 = builder();
        assertThrows(IllegalArgumentException.class, () -> b4.callId("abc" + value).build());
    }

    @Test
    void displayNamesWithCrOrLfAreRefused() {
        SipUri u = SipUri.of("alice", "example.com", -1);
        assertThrows(IllegalArgumentException.class, () -> NameAddress.of("Alice\r\nX: y", u));
        assertThrows(IllegalArgumentException.class, () -> NameAddress.of("Alice\nX: y", u));
        SipRequest.Builder b = builder();
        assertThrows(IllegalArgumentException.class,
            () -> b.from(new NameAddress("A\rB", u, sip.message.Parameters.EMPTY)).build());
    }

    @Test
    void reasonPhrasesWithCrOrLfAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Status.of(200, "OK\r\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> Status.of(200, "OK\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> Status.of(486, "Busy\r"));
        assertEquals("Fine", Status.of(200, "Fine").reason());
    }

    @Test
    void parametersAndUrisWithCrOrLfAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NameAddress.of(SipUri.of("a", "b", -1)).withTag("x\r\nVia: evil"));
        // a URI user may hold any character (RFC 4475 escnull): it must come out escaped, never raw
        SipUri odd;
        try {
            odd = SipUri.of("us\r\ner", "example.com", -1);
        } catch (IllegalArgumentException refused) {
            odd = null;
        }
        if (odd != null) {
            String wire = odd.toString();
            assertFalse(wire.contains("\r") || wire.contains("\n"), "raw CR/LF in " + wire);
            assertTrue(wire.contains("%0D%0A") || wire.contains("%0d%0a"), wire);
            String msg = new String(builder().to(NameAddress.of(odd)).build().toBytes(), StandardCharsets.UTF_8);
            assertFalse(msg.contains("us\r\ner"), msg);
        }
        assertThrows(IllegalArgumentException.class, () -> Via.of("UDP", "host\r\nX: y", 5060, "z9hG4bK1"));
        assertThrows(IllegalArgumentException.class, () -> Via.of("UDP", "host", 5060, "z9hG4bK1\r\nX: y"));
    }

    @Test
    void responseBuilderRefusesInjection() {
        SipRequest req = builder().build();
        SipResponse.Builder b1 = SipResponse.builder(req, 200);
        assertThrows(IllegalArgumentException.class, () -> b1.addHeader("X-A", "v\r\nInjected: 1").build());
        SipResponse.Builder b2 = SipResponse.builder(req, 200);
        assertThrows(IllegalArgumentException.class, () -> b2.toTag("t\r\nX: y").build());
        SipResponse ok = SipResponse.builder(req, 200).addHeader("X-A", "fine").build();
        assertFalse(new String(ok.toBytes(), StandardCharsets.UTF_8).contains("Injected"));
    }
}
