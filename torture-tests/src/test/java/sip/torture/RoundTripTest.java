package sip.torture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.message.HeaderField;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;

/** Serialisation of every valid file of both suites. */
class RoundTripTest {

    /** The files the manifests call valid (any accepted class) and that a UAS accepts. */
    static Stream<Corpus.Entry> validFiles() {
        return Corpus.all().filter(e -> !e.kind().equals("invalid"))
            .filter(e -> CompliancePresetsTest.expectation(e) instanceof Checks.Accept);
    }

    @Test
    void thereAreValidFiles() {
        // 49 - 19 invalid - 3 rejected application cases; 12 - 1 invalid
        assertEquals(27 + 11, validFiles().count());
    }

    static SipMessage parse(byte[] b, String what) {
        return Checks.parsed(SipParser.lenient().parse(b), what);
    }

    static void assertSameMessage(SipMessage expected, SipMessage actual, String what) {
        assertEquals(expected.getClass(), actual.getClass(), what + ": kind");
        assertEquals(expected.version(), actual.version(), what + ": version");
        if (expected instanceof SipRequest e && actual instanceof SipRequest a) {
            assertEquals(e.method(), a.method(), what + ": method");
            assertEquals(e.method().name(), a.method().name(), what + ": method name");
            assertEquals(e.requestUri().toString(), a.requestUri().toString(), what + ": Request-URI");
            assertEquals(e.requestUri(), a.requestUri(), what + ": Request-URI");
        } else if (expected instanceof SipResponse e && actual instanceof SipResponse a) {
            assertEquals(e.statusCode(), a.statusCode(), what + ": status");
            assertEquals(e.status().reason(), a.status().reason(), what + ": reason");
        }
        List<HeaderField> want = expected.headers();
        List<HeaderField> got = actual.headers();
        if (!expected.hasHeader(StandardHeader.CONTENT_LENGTH)) {
            // the wire form always carries Content-Length (SipMessage#bodyLength): the only field a
            // serialiser may add; it must be the last header and match the body
            assertEquals(List.of(String.valueOf(expected.bodyLength())), actual.headerValues(StandardHeader.CONTENT_LENGTH),
                what + ": added Content-Length");
            got = got.stream().filter(f -> !f.name().equals(StandardHeader.CONTENT_LENGTH)).toList();
        }
        assertEquals(want, got, what + ": header fields");
        assertArrayEquals(expected.body(), actual.body(), what + ": body");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void parseSerialiseParseGivesAnEqualMessage(Corpus.Entry entry) throws Exception {
        SipMessage m = parse(entry.bytes(), entry + " original");
        byte[] out = m.toBytes();
        SipMessage again = parse(out, entry + " re-parsed");
        assertSameMessage(m, again, entry.toString());
        ByteArrayOutputStream os = new ByteArrayOutputStream();
        m.writeTo(os);
        assertArrayEquals(out, os.toByteArray(), entry + ": writeTo equals toBytes");
        assertArrayEquals(out, again.toBytes(), entry + ": serialisation is stable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void untouchedMessageSerialisesByteExactly(Corpus.Entry entry) {
        byte[] file = entry.bytes();
        SipMessage m = parse(file, entry.toString());
        if (!m.hasHeader(StandardHeader.CONTENT_LENGTH) || !Corpus.crlfHeaders(file)) {
            // no Content-Length (inv2543) or no blank line ending the headers: a serialiser must add one
            assertTrue(m.toBytes().length > 0);
            return;
        }
        int end = Corpus.headerEnd(file) + m.bodyLength();
        byte[] original = Arrays.copyOf(file, end);
        byte[] out = m.toBytes();
        assertEquals(Corpus.latin1(original), Corpus.latin1(out), entry + ": byte-exact serialisation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void builderKeepsUntouchedHeaderLinesByteForByte(Corpus.Entry entry) {
        byte[] file = entry.bytes();
        SipMessage m = parse(file, entry.toString());
        SipMessage built = switch (m) {
            case SipRequest r -> r.toBuilder().addHeader("X-Torture-Added", "1").build();
            case SipResponse r -> r.toBuilder().addHeader("X-Torture-Added", "1").build();
        };
        String out = Corpus.latin1(built.toBytes());
        List<String> missing = new ArrayList<>();
        for (String raw : Corpus.rawHeaderFields(file)) {
            if (!out.contains(raw)) {
                missing.add(raw);
            }
        }
        if (!missing.isEmpty()) {
            fail(entry + ": original header lines not in the output byte-for-byte:\n" + String.join("", missing)
                + "--- output:\n" + out);
        }
        assertTrue(out.contains("\r\nX-Torture-Added: 1\r\n"), entry + ": the added header");
        SipMessage again = parse(built.toBytes(), entry + " rebuilt");
        assertEquals("1", again.header("X-Torture-Added").orElseThrow());
        assertArrayEquals(m.body(), again.body(), entry + ": body");
        // the original fields, in order, are a subsequence of the new ones
        List<HeaderField> now = again.headers();
        int j = 0;
        for (HeaderField f : m.headers()) {
            while (j < now.size() && !now.get(j).equals(f)) {
                j++;
            }
            assertTrue(j < now.size(), entry + ": field " + f + " kept in order; now " + now);
            j++;
        }
    }
}
