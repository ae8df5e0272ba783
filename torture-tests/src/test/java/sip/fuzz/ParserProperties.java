package sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import sip.message.HeaderField;
import sip.message.HeaderType;
import sip.message.ParseError;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParseException;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;

/**
 * The properties every parser outcome must have, whatever the input bytes: shared by the fuzz
 * target ({@link ParserFuzzTest}) and the run over the RFC torture corpora
 * ({@link TortureCorpusPropertyTest}).
 *
 * <p>Any exception other than {@link SipParseException} (thrown by a lazily parsed typed header)
 * escapes and fails the test: that is the finding the fuzzer looks for.
 */
final class ParserProperties {
    private ParserProperties() {}

    private static final class Parsers {
        // Built on first use so that a missing implementation fails the test, not class loading.
        static final SipParser LENIENT = SipParser.lenient();
        static final SipParser STRICT = SipParser.strict();
        static final SipParser LAZY = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
    }

    /** Checks every property on {@code input}; {@code input} is not modified. */
    static void check(byte[] input) {
        byte[] copy = input.clone();
        ParseResult lenient = outcome(Parsers.LENIENT, copy, true);
        ParseResult strict = outcome(Parsers.STRICT, input.clone(), true);
        ParseResult lazy = outcome(Parsers.LAZY, input.clone(), false);

        // STRICT tolerates a subset of what LENIENT does, and LAZY checks less than FULL.
        if (strict instanceof ParseResult.Parsed) {
            assertInstanceOf(ParseResult.Parsed.class, lenient, "strict accepted what lenient refused");
        }
        if (lenient instanceof ParseResult.Parsed) {
            assertInstanceOf(ParseResult.Parsed.class, lazy, "full validation accepted what lazy refused");
        }

        // parse(b, off, len) reads only its slice: the same outcome as parsing the slice alone.
        byte[] padded = new byte[input.length + 8];
        Arrays.fill(padded, (byte) 'X');
        System.arraycopy(input, 0, padded, 4, input.length);
        ParseResult sliced = Parsers.LENIENT.parse(padded, 4, input.length);
        assertEquals(lenient.getClass(), sliced.getClass(), "parse(b, off, len) differs from parse(slice)");
        if (lenient instanceof ParseResult.Parsed(SipMessage a) && sliced instanceof ParseResult.Parsed(SipMessage b)) {
            assertArrayEquals(a.toBytes(), b.toBytes(), "parse(b, off, len) gave another message");
        }
        assertArrayEquals(input, copy, "the parser modified its input");

        // The fast tag readers agree with the typed From/To wherever those parse.
        if (Parsers.LAZY.parse(input.clone()) instanceof ParseResult.Parsed(SipMessage fast)
                && Parsers.LAZY.parse(input.clone()) instanceof ParseResult.Parsed(SipMessage typed)) {
            String fastFrom = readOrError(fast::fromTag);
            String fastTo = readOrError(fast::toTag);
            String typedFrom = readOrError(() -> typed.from().tag());
            String typedTo = readOrError(() -> typed.to().tag());
            if (!ERROR.equals(typedFrom)) {
                assertEquals(typedFrom, fastFrom, "fromTag() disagrees with from().tag()");
            }
            if (!ERROR.equals(typedTo)) {
                assertEquals(typedTo, fastTo, "toTag() disagrees with to().tag()");
            }
        }
    }

    private static final String ERROR = "<SipParseException>";

    private static String readOrError(Supplier<String> read) {
        try {
            return read.get();
        } catch (SipParseException e) {
            return ERROR;
        }
    }

    private static ParseResult outcome(SipParser parser, byte[] input, boolean fullyValidated) {
        ParseResult r = parser.parse(input);
        switch (r) {
            case ParseResult.Parsed(SipMessage m) -> {
                exercise(m);
                Optional<ParseError> problem = m.validate();
                if (fullyValidated) {
                    assertEquals(Optional.empty(), problem, "FULL validation returned Parsed for a message validate() refuses");
                }
                if (problem.isEmpty()) {
                    assertValidMessageReadsCleanly(m);
                }
                // Writing a parsed message gives bytes the same parser accepts, and writing is stable.
                byte[] wire = m.toBytes();
                ParseResult again = parser.parse(wire.clone());
                SipMessage m2 = assertInstanceOf(ParseResult.Parsed.class, again,
                    () -> "toBytes() of a parsed message does not parse: " + again + "\n" + text(wire)).message();
                assertArrayEquals(wire, m2.toBytes(), () -> "toBytes() is not stable:\n" + text(wire));
            }
            case ParseResult.Malformed(ParseError error, SipMessage partial) -> {
                int code = error.status().code();
                assertTrue(code >= 400 && code <= 599, () -> "Malformed with status " + code + ": " + error);
                assertFalse(error.reason().isBlank(), "Malformed without a reason");
                assertTrue(error.line() >= 0 && error.offset() >= 0, () -> "negative position: " + error);
                if (partial != null) {
                    exercise(partial);
                }
            }
            default -> fail("parse(byte[]) may only return Parsed or Malformed, got " + r);
        }
        return r;
    }

    /** Calls every accessor; only {@link SipParseException} may come out of typed reads. */
    static void exercise(SipMessage m) {
        m.version();
        m.validate();
        m.violations();
        byte[] wire = m.toBytes();
        assertEquals(new String(wire, StandardCharsets.UTF_8), m.toString(), "toString() is the UTF-8 wire form");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            m.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertArrayEquals(wire, out.toByteArray(), "writeTo() and toBytes() differ");
        for (HeaderField f : m.headers()) {
            assertTrue(m.hasHeader(f.name()), () -> "hasHeader false for a present field " + f);
            assertTrue(m.header(f.name()).isPresent(), () -> "header() empty for a present field " + f);
            assertFalse(m.headerValues(f.name()).isEmpty(), () -> "headerValues() empty for " + f);
        }
        for (HeaderType<?> t : HeaderType.ALL) {
            tolerate(() -> m.all(t));
            tolerate(() -> m.first(t));
        }
        tolerate(m::vias);
        tolerate(m::topVia);
        tolerate(m::from);
        tolerate(m::to);
        tolerate(m::callId);
        tolerate(m::cseq);
        tolerate(m::maxForwards);
        tolerate(m::contacts);
        tolerate(m::contentType);
        assertEquals(m.bodyLength(), m.body().length, "bodyLength() and body() disagree");
        // A partial message may hold a malformed start line: its parts too may only throw
        // SipParseException.
        switch (m) {
            case SipRequest r -> {
                tolerate(() -> r.method().name());
                tolerate(() -> r.requestUri().scheme());
            }
            case SipResponse r -> tolerate(() -> {
                assertTrue(r.statusCode() >= 100 && r.statusCode() <= 699, () -> "status " + r.statusCode());
                return r.status().reason();
            });
        }
    }

    /** A message validate() accepts must read without any exception, typed headers included. */
    private static void assertValidMessageReadsCleanly(SipMessage m) {
        try {
            for (HeaderType<?> t : HeaderType.ALL) {
                m.all(t);
            }
            m.topVia();
            m.from();
            m.to();
            m.callId();
            m.cseq();
            m.maxForwards();
            if (m instanceof SipRequest r) {
                r.requestUri().toString();
            }
        } catch (SipParseException e) {
            fail("validate() found nothing wrong, yet reading threw " + e + "\n" + m, e);
        }
        if (m instanceof SipRequest r) {
            assertEquals(r.method(), r.cseq().method(), "validate() passed a CSeq method that differs from the request's");
        }
    }

    private static void tolerate(Supplier<?> read) {
        try {
            Object v = read.get();
            String.valueOf(v);
        } catch (SipParseException e) {
            int code = e.status().code();
            assertTrue(code >= 400 && code <= 599, () -> "SipParseException with status " + code);
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
