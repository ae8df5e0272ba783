package sip.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.Compliance;
import sip.message.HeaderType;
import sip.message.ParseError;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipUri;
import sip.message.Uri;

class SipGeneratorsTest {

    /** Enough draws to reach the rarer branches (a few percent each) many times over. */
    private static final int SEEDS = 400;

    /** Made per use so the generator-only tests do not depend on the parser. */
    private static SipParser strict() {
        return SipParser.strict();
    }

    /** Everything observable a generator yields for one seed, as text, in call order. */
    private static String transcript(SipGenerators g) {
        StringBuilder sb = new StringBuilder();
        sb.append(g.token()).append('\n').append(g.method()).append('\n').append(g.sipUri()).append('\n')
            .append(g.telUri()).append('\n').append(g.uri()).append('\n').append(g.via()).append('\n')
            .append(g.nameAddress()).append('\n').append(g.contact()).append('\n').append(g.callId()).append('\n');
        for (HeaderType<?> t : HeaderType.ALL) {
            sb.append(t.name().canonical()).append(": ").append(g.headerValue(t)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void sameSeedGivesSameValues() {
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(transcript(SipGenerators.withSeed(seed)), transcript(SipGenerators.withSeed(seed)),
                "values for seed " + seed);
        }
    }

    @Test
    void sameSeedGivesSameMessages() {
        for (long seed = 0; seed < 50; seed++) {
            SipGenerators a = SipGenerators.withSeed(seed);
            SipGenerators b = SipGenerators.withSeed(seed);
            assertArrayEquals(a.request().toBytes(), b.request().toBytes(), "request for seed " + seed);
            assertArrayEquals(a.response().toBytes(), b.response().toBytes(), "response for seed " + seed);
            assertArrayEquals(a.requestBytes(), b.requestBytes(), "requestBytes for seed " + seed);
            assertArrayEquals(a.responseBytes(), b.responseBytes(), "responseBytes for seed " + seed);
        }
    }

    @Test
    void differentSeedsGiveDifferentValues() {
        // A generator stuck on one value would make every property trivially true.
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            seen.add(transcript(SipGenerators.withSeed(seed)));
        }
        assertEquals(100, seen.size());
    }

    /**
     * A fuzzer's data provider returns the lowest (or highest) legal value once its bytes run
     * out: generators must still terminate and produce valid values from such a source.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void degenerateSourceStillGivesValidMessages(boolean high) {
        RandomGenerator constant = new RandomGenerator() {
            @Override
            public long nextLong() {
                return high ? -1L : 0L;
            }

            @Override
            public int nextInt(int bound) {
                return high ? bound - 1 : 0;
            }

            @Override
            public int nextInt(int origin, int bound) {
                return high ? bound - 1 : origin;
            }

            @Override
            public boolean nextBoolean() {
                return high;
            }
        };
        SipGenerators g = new SipGenerators(constant);
        assertParsesTo(g.request());
        assertParsesTo(g.response());
        assertInstanceOf(ParseResult.Parsed.class, strict().parse(g.requestBytes()));
    }

    @Test
    void urisParseBackStrictly() {
        for (long seed = 0; seed < SEEDS; seed++) {
            SipGenerators g = SipGenerators.withSeed(seed);
            for (Uri u : List.of(g.sipUri(), g.telUri(), g.uri())) {
                assertEquals(u, Uri.parse(u.toString(), Compliance.STRICT), "seed " + seed + ": " + u);
            }
        }
    }

    @Test
    void headerValuesParseBack() {
        for (long seed = 0; seed < SEEDS; seed++) {
            SipGenerators g = SipGenerators.withSeed(seed);
            for (HeaderType<?> t : HeaderType.ALL) {
                checkHeaderValue(g, t, seed);
            }
        }
    }

    private static <T> void checkHeaderValue(SipGenerators g, HeaderType<T> type, long seed) {
        T value = g.headerValue(type);
        String wire = type.format(value);
        assertEquals(List.of(value), type.parse(wire), "seed " + seed + ", " + type.name() + ": " + wire);
    }

    @Test
    void requestsParseStrictlyToTheSameMessage() {
        for (long seed = 0; seed < SEEDS; seed++) {
            assertParsesTo(SipGenerators.withSeed(seed).request());
        }
    }

    @Test
    void responsesParseStrictlyToTheSameMessage() {
        for (long seed = 0; seed < SEEDS; seed++) {
            assertParsesTo(SipGenerators.withSeed(seed).response());
        }
    }

    @Test
    void wireFormsParseStrictlyToTheSameMessage() {
        for (long seed = 0; seed < SEEDS; seed++) {
            SipGenerators g = SipGenerators.withSeed(seed);
            SipMessage m = seed % 2 == 0 ? g.request() : g.response();
            byte[] wire = g.wireForm(m);
            SipMessage parsed = parseStrict(wire, "seed " + seed);
            assertEquals(Optional.empty(), MessageDiff.difference(m, parsed),
                "seed " + seed + ":\n" + new String(wire, StandardCharsets.UTF_8));
        }
    }

    /** The generators promise odd-but-legal forms: check they actually produce each of them. */
    @Test
    void oddFormsAllShowUp() {
        boolean ipv6 = false;
        boolean escapedUser = false;
        boolean folded = false;
        boolean compactName = false;
        boolean joinedList = false;
        boolean extensionHeader = false;
        boolean binaryBody = false;
        boolean escapedDisplayName = false;
        boolean telUri = false;
        for (long seed = 0; seed < SEEDS; seed++) {
            SipGenerators g = SipGenerators.withSeed(seed);
            String uri = g.sipUri().toString();
            ipv6 |= uri.contains("[");
            escapedUser |= uri.matches("sips?:[^@]*%[0-9A-Fa-f]{2}[^@]*@.*");
            escapedDisplayName |= g.nameAddress().toString().contains("\\\"");
            telUri |= g.uri().scheme().equals("tel");
            String wire = new String(g.requestBytes(), StandardCharsets.ISO_8859_1);
            String head = wire.substring(0, wire.indexOf("\r\n\r\n") + 2);
            folded |= head.contains("\r\n ") || head.contains("\r\n\t");
            compactName |= head.contains("\r\nv:") || head.contains("\r\nf ") || head.contains("\r\ni:")
                || head.contains("\r\nl:") || head.contains("\r\nt:");
            joinedList |= head.matches("(?s).*\r\n(Via|VIA|via|v|V)[ \t]*:[^\r]*SIP/2\\.0[^\r]*,.*");
            extensionHeader |= head.contains("\r\nX-") || head.contains("\r\nx-");
            String body = wire.substring(wire.indexOf("\r\n\r\n") + 4);
            binaryBody |= body.chars().anyMatch(c -> c == 0 || c > 0x7F);
        }
        assertTrue(ipv6, "IPv6 host");
        assertTrue(escapedUser, "escaped user part");
        assertTrue(escapedDisplayName, "display name with escaped quote");
        assertTrue(telUri, "tel URI");
        assertTrue(folded, "folded header line");
        assertTrue(compactName, "compact header name");
        assertTrue(joinedList, "several Vias on one line");
        assertTrue(extensionHeader, "extension header");
        assertTrue(binaryBody, "binary body");
    }

    @Test
    void headerValueRefusesNull() {
        try {
            SipGenerators.withSeed(1).headerValue(null);
            fail("expected NullPointerException");
        } catch (NullPointerException expected) {
            assertTrue(expected.getMessage().contains("type"));
        }
    }

    private static SipMessage parseStrict(byte[] wire, String what) {
        ParseResult r = strict().parse(wire);
        if (r instanceof ParseResult.Malformed(ParseError error, SipMessage partial)) {
            fail(what + ": strict parser refused a generated message: " + error + "\n"
                + new String(wire, StandardCharsets.UTF_8));
        }
        SipMessage m = assertInstanceOf(ParseResult.Parsed.class, r, what).message();
        assertEquals(Optional.empty(), m.validate(), what);
        return m;
    }

    private static void assertParsesTo(SipMessage m) {
        byte[] wire = m.toBytes();
        SipMessage parsed = parseStrict(wire, "generated message");
        assertEquals(Optional.empty(), MessageDiff.difference(m, parsed),
            new String(wire, StandardCharsets.UTF_8));
        assertEquals(m.headers(), parsed.headers(), "header fields");
        assertArrayEquals(wire, parsed.toBytes(), "an untouched parsed message writes its bytes back");
    }

    @Test
    void sipUriWithHeadersOnlyOutsideRequestUri() {
        // RFC 3261 §19.1.5: a Request-URI carries no URI headers; strict parsers refuse them.
        for (long seed = 0; seed < SEEDS; seed++) {
            if (SipGenerators.withSeed(seed).request().requestUri() instanceof SipUri u) {
                assertTrue(u.headers().isEmpty(), "seed " + seed + ": " + u);
            }
        }
    }
}
