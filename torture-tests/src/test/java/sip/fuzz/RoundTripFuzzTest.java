package sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.Compliance;
import sip.message.HeaderType;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Uri;
import sip.testkit.MessageDiff;
import sip.testkit.SipGenerators;

/**
 * Valid values from {@link SipGenerators}, driven by the fuzzer's bytes, survive the trip
 * through the wire form: messages parse strictly to the same message, and parse, write, parse
 * again gives equal messages and identical bytes; typed header values and URIs format and parse
 * back to equal values.
 */
class RoundTripFuzzTest {

    private static final class Parsers {
        static final SipParser STRICT = SipParser.strict();
        static final SipParser LENIENT = SipParser.lenient();
    }

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "30s")
    void roundTrip(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 6);
        check(new SipGenerators(new FuzzRandom(data)), kind);
    }

    /** The same property on seeded values, so a plain build covers it beyond the corpus. */
    @Test
    void roundTripSeeded() {
        for (long seed = 0; seed < 300; seed++) {
            check(SipGenerators.withSeed(seed), (int) (seed % 7));
        }
    }

    static void check(SipGenerators g, int kind) {
        switch (kind) {
            case 0 -> messageRoundTrip(g.request(), null);
            case 1 -> messageRoundTrip(g.response(), null);
            case 2 -> {
                SipRequest m = g.request();
                messageRoundTrip(m, g.wireForm(m));
            }
            case 3 -> {
                SipResponse m = g.response();
                messageRoundTrip(m, g.wireForm(m));
            }
            case 4 -> {
                List<HeaderType<?>> all = HeaderType.ALL;
                headerRoundTrip(g, all.get(g.uri().toString().length() % all.size()));
            }
            case 5 -> {
                for (HeaderType<?> t : HeaderType.ALL) {
                    headerRoundTrip(g, t);
                }
            }
            default -> {
                Uri u = g.uri();
                String text = u.toString();
                Uri parsed = Uri.parse(text, Compliance.STRICT);
                assertEquals(u, parsed, text);
                assertEquals(text, parsed.toString(), "a parsed URI writes back as it was written");
            }
        }
    }

    private static <T> void headerRoundTrip(SipGenerators g, HeaderType<T> type) {
        T value = g.headerValue(type);
        String wire = type.format(value);
        assertEquals(List.of(value), type.parse(wire), () -> type.name() + ": " + wire);
    }

    /**
     * @param built the message as built
     * @param wire its wire form, or null for {@code built.toBytes()}
     */
    static void messageRoundTrip(SipMessage built, byte[] wire) {
        byte[] bytes = wire != null ? wire : built.toBytes();
        SipMessage first = parse(Parsers.STRICT, bytes);
        assertEquals(Optional.empty(), MessageDiff.difference(built, first),
            () -> "parsed message differs from the built one:\n" + ParserProperties.text(bytes));
        if (wire == null) {
            assertEquals(built.headers(), first.headers(), "header fields of a built message after parsing");
        }
        // A valid message needs no tolerance: the lenient parser reads the same and notes nothing.
        SipMessage lenient = parse(Parsers.LENIENT, bytes);
        assertEquals(Optional.empty(), MessageDiff.difference(first, lenient), "lenient and strict disagree");
        assertEquals(java.util.Set.of(), lenient.violations(), "violations noted on a valid message");

        byte[] written = first.toBytes();
        SipMessage second = parse(Parsers.STRICT, written);
        assertEquals(Optional.empty(), MessageDiff.difference(first, second),
            () -> "parse -> toBytes -> parse changed the message:\n" + ParserProperties.text(written));
        assertEquals(first.headers(), second.headers(), "header fields after parse -> toBytes -> parse");
        assertArrayEquals(written, second.toBytes(), "toBytes() is not stable");

        // A builder copy of a parsed message is the same message.
        SipMessage copy = switch (first) {
            case SipRequest r -> r.toBuilder().build();
            case SipResponse r -> r.toBuilder().build();
        };
        assertEquals(Optional.empty(), MessageDiff.difference(first, copy), "toBuilder().build() changed the message");
    }

    private static SipMessage parse(SipParser parser, byte[] bytes) {
        ParseResult r = parser.parse(bytes.clone());
        if (r instanceof ParseResult.Malformed m) {
            fail("a generated valid message was refused (" + parser.compliance() + "): " + m.error() + "\n"
                + ParserProperties.text(bytes));
        }
        SipMessage m = assertInstanceOf(ParseResult.Parsed.class, r).message();
        assertEquals(Optional.empty(), m.validate(), "validate() on a generated valid message");
        return m;
    }
}
