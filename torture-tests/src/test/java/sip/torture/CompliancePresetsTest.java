package sip.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.message.Compliance;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.Violation;

/**
 * Every file of both suites under {@link Compliance#STRICT} and {@link Compliance#LENIENT}: the
 * difference between the two is exactly the violations named per file.
 */
class CompliancePresetsTest {

    static Stream<Corpus.Entry> files() {
        return Corpus.all();
    }

    static Checks.Expect expectation(Corpus.Entry e) {
        Map<String, Checks.Expect> map = e.suite().equals(Rfc4475Test.SUITE) ? Rfc4475Test.EXPECT : Rfc5118Test.EXPECT;
        Checks.Expect x = map.get(e.file());
        assertNotNull(x, "no expectation for " + e);
        return x;
    }

    static Set<Violation> expectedViolations(Corpus.Entry e) {
        return expectation(e) instanceof Checks.Accept a ? a.tolerated() : Set.of();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void lenientToleratesExactlyTheNamedViolations(Corpus.Entry entry) {
        byte[] bytes = entry.bytes();
        Set<Violation> expected = expectedViolations(entry);
        boolean acceptedByLenientExpected = expectation(entry) instanceof Checks.Accept;

        Checks.Recorder lenient = new Checks.Recorder(Compliance.LENIENT);
        ParseResult lr = lenient.parser.parse(bytes);
        Checks.Recorder strict = new Checks.Recorder(Compliance.STRICT);
        ParseResult sr = strict.parser.parse(bytes);

        boolean lenientOk = lr instanceof ParseResult.Parsed;
        boolean strictOk = sr instanceof ParseResult.Parsed;
        assertEquals(acceptedByLenientExpected, lenientOk, entry + ": lenient result " + describe(lr));
        assertEquals(expected, lenient.set(), entry + ": violations told to the lenient listener " + lenient.details);
        if (lr instanceof ParseResult.Parsed p) {
            assertEquals(expected, p.message().violations(), entry + ": message.violations()");
            p.message().validate();
            assertEquals(expected, lenient.set(), entry + ": validate() after a FULL parse tolerates nothing new");
        }
        assertEquals(Set.of(), strict.set(), entry + ": strict tolerates nothing, so tells nothing " + strict.details);
        assertEquals(!expected.isEmpty(), lenientOk && !strictOk,
            entry + ": accepted by lenient but rejected by strict iff violations are named; lenient "
                + describe(lr) + ", strict " + describe(sr));
        if (expectation(entry) instanceof Checks.Accept a && a.tolerated().isEmpty()) {
            assertTrue(strictOk, entry + ": a clean file is accepted by strict too: " + describe(sr));
        }
        if (!expected.isEmpty()) {
            assertEquals(400, ((ParseResult.Malformed) sr).error().status().code(), entry + ": strict status");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void customProfileAllowingExactlyTheNamedViolations(Corpus.Entry entry) {
        if (!(expectation(entry) instanceof Checks.Accept a) || a.tolerated().isEmpty()) {
            return;
        }
        byte[] bytes = entry.bytes();
        ParseResult exact = SipParser.newBuilder().compliance(Compliance.allowing(a.tolerated())).build().parse(bytes);
        assertTrue(exact instanceof ParseResult.Parsed, entry + ": allowing " + a.tolerated() + " gives " + describe(exact));
        EnumSet<Violation> others = EnumSet.complementOf(EnumSet.copyOf(a.tolerated()));
        ParseResult without = SipParser.newBuilder().compliance(Compliance.allowing(others)).build().parse(bytes);
        assertTrue(without instanceof ParseResult.Malformed, entry + ": allowing all but " + a.tolerated()
            + " gives " + describe(without));
    }

    @Test
    void presetsAreWhatTheyClaim() {
        assertEquals(Set.of(), Compliance.STRICT.allowed());
        assertEquals(EnumSet.allOf(Violation.class), Compliance.LENIENT.allowed());
        assertEquals(Compliance.LENIENT, SipParser.lenient().compliance());
        assertEquals(Compliance.STRICT, SipParser.strict().compliance());
    }

    static String describe(ParseResult r) {
        return switch (r) {
            case ParseResult.Parsed p -> "Parsed" + p.message().violations();
            case ParseResult.Malformed m -> "Malformed(" + m.error() + ")";
            default -> String.valueOf(r);
        };
    }
}
