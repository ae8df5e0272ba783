package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Shared checks for the typed header tests. */
final class HeaderAssertions {
    private HeaderAssertions() {}

    /** Parses {@code value} expecting exactly one value. */
    static <T> T one(HeaderType<T> type, String value) {
        List<T> all = type.parse(value);
        assertEquals(1, all.size(), () -> "values of " + value + ": " + all);
        return all.get(0);
    }

    /** Expects a 400 whose reason mentions {@code reasonPart} (case-insensitive). */
    static ParseError rejects(HeaderType<?> type, String value, String reasonPart) {
        SipParseException e = assertThrows(SipParseException.class, () -> type.parse(value),
            () -> type + " should reject: " + value);
        ParseError err = e.error();
        assertEquals(400, err.status().code(), err::toString);
        assertTrue(err.reason().toLowerCase(java.util.Locale.ROOT).contains(reasonPart.toLowerCase(java.util.Locale.ROOT)),
            () -> "reason '" + err.reason() + "' should mention '" + reasonPart + "'");
        assertEquals(type.name(), err.headerName());
        return err;
    }

    /** parse(format(v)) gives back v, and formatting is stable. */
    static <T> void roundTrips(HeaderType<T> type, T v) {
        String wire = type.format(v);
        List<T> again = type.parse(wire);
        assertEquals(List.of(v), again, () -> "round trip of " + wire);
        assertEquals(wire, type.format(again.get(0)));
    }
}
