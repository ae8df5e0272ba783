package sip.message.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.StandardHeader;

/**
 * Every typed header of every RFC 4475 / RFC 5118 message: the header problems the MANIFEST names
 * are rejected (always, or only when strict), every other value parses and round-trips.
 */
class TortureHeadersTest {
    private static final Path SHARED = Path.of(System.getProperty("parley.shared", "../../../shared"));

    /** Headers that are malformed whatever the profile. */
    private static final Map<String, Set<StandardHeader>> ALWAYS_BAD = Map.of(
        "badinv01.dat", Set.of(StandardHeader.VIA, StandardHeader.CONTACT),
        "scalar02.dat", Set.of(StandardHeader.CSEQ, StandardHeader.MAX_FORWARDS, StandardHeader.EXPIRES,
            StandardHeader.CONTACT),
        "scalarlg.dat", Set.of(StandardHeader.CSEQ, StandardHeader.RETRY_AFTER, StandardHeader.WARNING),
        "quotbal.dat", Set.of(StandardHeader.TO),
        "ncl.dat", Set.of(StandardHeader.CONTENT_LENGTH));

    /** Headers only a lenient profile accepts. */
    private static final Map<String, Set<StandardHeader>> STRICT_BAD = Map.of(
        "baddate.dat", Set.of(StandardHeader.DATE),
        "baddn.dat", Set.of(StandardHeader.FROM, StandardHeader.TO),
        "badaspec.dat", Set.of(StandardHeader.TO),
        "regbadct.dat", Set.of(StandardHeader.CONTACT),
        "via-received-param-with-delim.dat", Set.of(StandardHeader.VIA),
        "ipv6-bug-abnf-3-colons.dat", Set.of(StandardHeader.TO));

    record Field(HeaderName name, byte[] b, int from, int to) {
        @Override
        public String toString() {
            return name + ": " + new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Stream<Path> messages() throws IOException {
        List<Path> all = new ArrayList<>();
        for (String dir : new String[] {"torture/rfc4475", "torture/rfc5118"}) {
            try (Stream<Path> s = Files.list(SHARED.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".dat")).sorted().forEach(all::add);
            }
        }
        assertEquals(61, all.size(), "torture corpus at " + SHARED.toAbsolutePath());
        return all.stream();
    }

    /** The header fields up to the empty line; a field continues over lines starting with SP/HTAB. */
    static List<Field> fields(byte[] b) {
        List<Field> out = new ArrayList<>();
        int i = 0;
        while (i < b.length && b[i] != '\n') {
            i++;
        }
        i++; // past the start line
        while (i < b.length && b[i] != '\r' && b[i] != '\n') {
            int start = i;
            int end;
            while (true) {
                while (i < b.length && b[i] != '\n') {
                    i++;
                }
                end = i > start && b[i - 1] == '\r' ? i - 1 : i;
                i++;
                if (i >= b.length || (b[i] != ' ' && b[i] != '\t')) {
                    break;
                }
            }
            int colon = start;
            while (b[colon] != ':') {
                colon++;
            }
            String name = new String(b, start, colon - start, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
            out.add(new Field(HeaderName.of(name), b, colon + 1, end));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("messages")
    void typedHeaders(Path file) throws IOException {
        String f = file.getFileName().toString();
        byte[] b = Files.readAllBytes(file);
        Set<StandardHeader> alwaysBad = ALWAYS_BAD.getOrDefault(f, Set.of());
        Set<StandardHeader> strictBad = STRICT_BAD.getOrDefault(f, Set.of());
        int typed = 0;
        for (Field field : fields(b)) {
            HeaderType<?> type = HeaderType.of(field.name());
            if (type == null) {
                continue;
            }
            typed++;
            TypedHeader<?> th = (TypedHeader<?>) type;
            boolean lenientOk = parses(th, field, Compliance.LENIENT);
            boolean strictOk = parses(th, field, Compliance.STRICT);
            if (alwaysBad.contains(field.name())) {
                assertFalse(lenientOk, () -> f + " must reject " + field);
                assertFalse(strictOk, () -> f + " must reject " + field);
            } else if (strictBad.contains(field.name())) {
                assertTrue(lenientOk, () -> f + " must tolerate " + field);
                assertFalse(strictOk, () -> f + " strict must reject " + field);
            } else {
                assertTrue(lenientOk, () -> f + " must accept " + field + ": " + failure(th, field));
                assertTrue(strictOk, () -> f + " strict must accept " + field + ": " + failure(th, field));
            }
            if (lenientOk) {
                roundTrip(th, field);
            }
        }
        assertTrue(typed >= 3, f);
    }

    private static boolean parses(TypedHeader<?> th, Field field, Compliance c) {
        try {
            th.parseField(field.b(), field.from(), field.to(), new ParseContext(c, ComplianceListener.NONE));
            return true;
        } catch (ParseFailure e) {
            assertEquals(400, e.status().code());
            return false;
        }
    }

    private static String failure(TypedHeader<?> th, Field field) {
        try {
            th.parseField(field.b(), field.from(), field.to(), ParseContext.lenient());
            return "lenient ok";
        } catch (ParseFailure e) {
            return e.getMessage() + " at " + e.position();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void roundTrip(TypedHeader th, Field field) {
        List<?> values = th.parseField(field.b(), field.from(), field.to(), ParseContext.lenient());
        for (Object v : values) {
            String wire = th.format(v);
            List<?> again = th.parse(wire);
            if (!List.of(v).equals(again)) {
                fail("round trip of " + field + " via " + wire + " gave " + again);
            }
        }
    }
}
