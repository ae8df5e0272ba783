package sip.router.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import sip.message.HeaderType;
import sip.message.ParseError;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Status;

/**
 * The checks of RFC 3261 §16.3 a proxy makes before routing, in the RFC's order: reasonable
 * syntax (505, 400), URI scheme (416), Max-Forwards (483), loop detection (482), Proxy-Require
 * (420 with Unsupported). Unlike a UAS (§8.2), a proxy does not care about methods, Require or
 * bodies: those are for the UAS. A pure function of the request.
 */
final class Validation {

    /** The single-valued headers whose repetition is a syntax error worth refusing here. */
    private static final List<StandardHeader> SINGLE = List.of(StandardHeader.FROM, StandardHeader.TO,
            StandardHeader.CALL_ID, StandardHeader.CSEQ, StandardHeader.MAX_FORWARDS, StandardHeader.CONTENT_LENGTH);
    private static final int MAX_DETAIL = 120;

    /** Why a request is answered without routing: a status and, for 420, the Unsupported value. */
    record Rejection(Status status, String unsupported) {
        int code() {
            return status.code();
        }
    }

    private Validation() {
    }

    /**
     * The checks after {@link #syntax} passed and the request was route-processed.
     *
     * @param received the request as received (its Vias carry our earlier passes)
     * @param routed the request after §16.4, whose hash loop detection compares
     * @param loopHash the hash of {@code routed}, or null when loop detection is off
     * @param local whether a URI (a Via sent-by here) names this proxy
     * @param supported the Proxy-Require option tags this proxy supports
     */
    static Optional<Rejection> check(SipRequest received, SipRequest routed, String loopHash,
                                     Predicate<SipUri> local, List<String> supported) {
        try {
            return Optional.ofNullable(firstProblem(received, routed, loopHash, local, supported));
        } catch (SipParseException e) {
            return Optional.of(fromParseError(e.error()));
        }
    }

    /** The checks that need no route processing: 505 and 400 (route processing reads Route). */
    static Optional<Rejection> syntax(SipRequest received) {
        try {
            return Optional.ofNullable(syntaxProblem(received));
        } catch (SipParseException e) {
            return Optional.of(fromParseError(e.error()));
        }
    }

    private static Rejection syntaxProblem(SipRequest request) {
        if (!"SIP/2.0".equals(request.version())) {
            return new Rejection(Status.VERSION_NOT_SUPPORTED_505, null);
        }
        Optional<ParseError> invalid = request.validate();
        if (invalid.isPresent()) {
            return fromParseError(invalid.get());
        }
        for (StandardHeader h : SINGLE) {
            if (request.headerValues(h).size() > 1) {
                return badRequest("more than one " + h.canonical() + " header field");
            }
        }
        return null;
    }

    private static Rejection firstProblem(SipRequest received, SipRequest routed, String loopHash,
                                          Predicate<SipUri> local, List<String> supported) {
        String scheme = routed.requestUri().scheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            return new Rejection(Status.UNSUPPORTED_URI_SCHEME_416, null);
        }
        OptionalInt hops = received.maxForwards();
        if (hops.isPresent() && hops.getAsInt() <= 0) {
            return new Rejection(Status.TOO_MANY_HOPS_483, null);
        }
        if (loopHash != null && LoopHash.isLoop(received, loopHash, local)) {
            return new Rejection(Status.LOOP_DETECTED_482, null);
        }
        List<String> unknown = new ArrayList<>();
        for (String tag : received.all(HeaderType.PROXY_REQUIRE)) {
            if (!containsIgnoreCase(supported, tag) && !containsIgnoreCase(unknown, tag)) {
                unknown.add(tag);
            }
        }
        if (!unknown.isEmpty()) {
            return new Rejection(Status.BAD_EXTENSION_420, String.join(", ", unknown));
        }
        return null;
    }

    private static boolean containsIgnoreCase(List<String> list, String s) {
        for (String e : list) {
            if (e.equalsIgnoreCase(s)) {
                return true;
            }
        }
        return false;
    }

    private static Rejection fromParseError(ParseError error) {
        int code = error.status().code();
        return code == 400 ? badRequest(error.reason()) : new Rejection(Status.of(code), null);
    }

    private static Rejection badRequest(String detail) {
        String d = detail.replaceFirst("\\s*\\(RFC [^)]*\\)\\s*$", "").strip();
        if (d.length() > MAX_DETAIL) {
            d = d.substring(0, MAX_DETAIL - 3) + "...";
        }
        d = d.replaceAll("[\\p{Cntrl}]", "?");
        return new Rejection(d.isEmpty() ? Status.BAD_REQUEST_400 : Status.of(400, "Bad Request (" + d + ")"), null);
    }
}
