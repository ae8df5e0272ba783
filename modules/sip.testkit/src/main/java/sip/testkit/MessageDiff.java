package sip.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;

/**
 * Compares two messages by meaning rather than by bytes, for round-trip properties: a message
 * and the result of writing and parsing it again should not differ, even when the wire form
 * changed (compact names, folding, list values joined on one line or split over several).
 *
 * <p>Two messages are the same here when they have the same start line (method and
 * Request-URI, or status code; reason phrases are informational and ignored), the same values
 * for every {@link HeaderType} in {@link HeaderType#ALL} (typed equality, list values in order
 * whatever lines they were on), the same values, in order, for every header without a typed
 * view that is not a list header, and the same body bytes.
 */
public final class MessageDiff {
    private MessageDiff() {}

    /**
     * The first difference between {@code expected} and {@code actual}, in words.
     *
     * @param expected the reference message
     * @param actual the message to check
     * @return empty when they are the same as described above
     * @throws sip.message.SipParseException if a typed header of either message is malformed
     */
    public static Optional<String> difference(SipMessage expected, SipMessage actual) {
        if (expected instanceof SipRequest a) {
            if (!(actual instanceof SipRequest b)) {
                return Optional.of("expected a request, got a response");
            }
            if (!a.method().equals(b.method())) {
                return Optional.of("method " + a.method() + " != " + b.method());
            }
            if (!a.requestUri().equals(b.requestUri())) {
                return Optional.of("Request-URI " + a.requestUri() + " != " + b.requestUri());
            }
        } else {
            SipResponse a = (SipResponse) expected;
            if (!(actual instanceof SipResponse b)) {
                return Optional.of("expected a response, got a request");
            }
            if (a.statusCode() != b.statusCode()) {
                return Optional.of("status " + a.statusCode() + " != " + b.statusCode());
            }
        }
        for (HeaderType<?> type : HeaderType.ALL) {
            List<?> x = expected.all(type);
            List<?> y = actual.all(type);
            if (!x.equals(y)) {
                return Optional.of(type.name().canonical() + " " + x + " != " + y);
            }
        }
        Set<HeaderName> untyped = new LinkedHashSet<>();
        for (HeaderField f : expected.headers()) {
            untyped.add(f.name());
        }
        for (HeaderField f : actual.headers()) {
            untyped.add(f.name());
        }
        for (HeaderName name : untyped) {
            if (HeaderType.of(name) != null || name.isList()) {
                continue;
            }
            List<String> x = new ArrayList<>(expected.headerValues(name));
            List<String> y = new ArrayList<>(actual.headerValues(name));
            if (!x.equals(y)) {
                return Optional.of(name.canonical() + " " + x + " != " + y);
            }
        }
        if (!Arrays.equals(expected.body(), actual.body())) {
            return Optional.of("bodies differ (" + expected.bodyLength() + " vs " + actual.bodyLength() + " bytes)");
        }
        return Optional.empty();
    }
}
