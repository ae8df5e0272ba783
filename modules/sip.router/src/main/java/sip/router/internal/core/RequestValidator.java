package sip.router.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.ParseError;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.StandardHeader;
import sip.message.Status;

/**
 * The checks a UAS makes before a request reaches its handler (RFC 3261 §8.2), in the order the
 * {@link sip.router.Server} javadoc gives: 505, 400, 405, 416, 420, 415, 406. A pure function of
 * the request and the server's {@link ServerConfig}.
 *
 * <p>The transport layer already answers requests the parser rejects (400/505, statelessly), so
 * the first two checks matter for requests parsed leniently or built by hand; they are kept so
 * the validator's answer does not depend on how the request was parsed.
 */
final class RequestValidator {

    private static final String VERSION = "SIP/2.0";

    /** Headers that must appear at most once; a repeat is 400 (RFC 4475 multi01, mcl01). */
    private static final List<StandardHeader> SINGLE = List.of(StandardHeader.FROM, StandardHeader.TO,
            StandardHeader.CALL_ID, StandardHeader.CSEQ, StandardHeader.MAX_FORWARDS,
            StandardHeader.CONTENT_LENGTH, StandardHeader.CONTENT_TYPE);

    /** The longest detail put in a 400's reason phrase; the rest goes to the log. */
    private static final int MAX_DETAIL = 120;

    private RequestValidator() {
    }

    /** Why {@code request} must be answered without its handler, or empty to dispatch it. */
    static Optional<Rejection> check(SipRequest request, ServerConfig config) {
        return check(request, config, false);
    }

    /** As above; {@code handled} when something other than the config handles it (a dialog): no 405. */
    static Optional<Rejection> check(SipRequest request, ServerConfig config, boolean handled) {
        try {
            return Optional.ofNullable(firstProblem(request, config, handled));
        } catch (SipParseException e) {
            // validate() read every typed header already; this is the belt to its braces.
            return Optional.of(fromParseError(e.error()));
        }
    }

    private static Rejection firstProblem(SipRequest request, ServerConfig config, boolean handled) {
        if (!VERSION.equals(request.version())) {
            return Rejection.of(Status.VERSION_NOT_SUPPORTED_505);
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
        Method method = request.method();
        if (!handled && config.handlerFor(method) == null && !method.equals(Method.OPTIONS)) {
            return Rejection.of(Status.METHOD_NOT_ALLOWED_405, StandardHeader.ALLOW, config.allow());
        }
        String scheme = request.requestUri().scheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            return Rejection.of(Status.UNSUPPORTED_URI_SCHEME_416);
        }
        // §8.2.2.3: Proxy-Require is for proxies; ACK and CANCEL never get a 420.
        if (!method.equals(Method.ACK) && !method.equals(Method.CANCEL)) {
            List<String> unknown = new ArrayList<>();
            for (String tag : request.all(HeaderType.REQUIRE)) {
                if (!config.supports(tag) && !unknown.contains(tag)) {
                    unknown.add(tag);
                }
            }
            if (!unknown.isEmpty()) {
                return Rejection.of(Status.BAD_EXTENSION_420, StandardHeader.UNSUPPORTED, String.join(", ", unknown));
            }
        }
        Rejection body = checkBody(request, config);
        if (body != null) {
            return body;
        }
        if (method.equals(Method.INVITE) && request.hasHeader(StandardHeader.ACCEPT)
                && !acceptsAny(request.all(HeaderType.ACCEPT), config.produced())) {
            return Rejection.of(Status.NOT_ACCEPTABLE_406);
        }
        return null;
    }

    /** §8.2.3: a body of a type or encoding the server does not understand is 415. */
    private static Rejection checkBody(SipRequest request, ServerConfig config) {
        if (request.bodyLength() == 0) {
            return null;
        }
        for (String field : request.headerValues(StandardHeader.CONTENT_ENCODING)) {
            for (String coding : field.split(",")) {
                String c = coding.trim();
                if (!c.isEmpty() && !c.equalsIgnoreCase("identity")) {
                    return Rejection.of(Status.UNSUPPORTED_MEDIA_TYPE_415, StandardHeader.ACCEPT_ENCODING, "identity");
                }
            }
        }
        Optional<ContentType> type = request.contentType();
        if (type.isEmpty() || !config.accepts(type.get().mediaType())) {
            return config.accepted().isEmpty() ? Rejection.of(Status.UNSUPPORTED_MEDIA_TYPE_415)
                    : Rejection.of(Status.UNSUPPORTED_MEDIA_TYPE_415, StandardHeader.ACCEPT,
                            String.join(", ", config.accepted()));
        }
        return null;
    }

    /**
     * True when one of the media ranges allows one of {@code produced}: {@code *}{@code /*},
     * {@code type/*} or an exact type; a range with {@code q=0} allows nothing. An empty Accept
     * allows nothing (RFC 3261 §20.1).
     */
    static boolean acceptsAny(List<ContentType> ranges, List<String> produced) {
        for (ContentType range : ranges) {
            if (isZeroQ(range)) {
                continue;
            }
            String type = range.type().toLowerCase(Locale.ROOT);
            String subtype = range.subtype().toLowerCase(Locale.ROOT);
            for (String p : produced) {
                int slash = p.indexOf('/');
                boolean typeMatches = type.equals("*") || type.equals(p.substring(0, slash));
                boolean subtypeMatches = subtype.equals("*") || subtype.equals(p.substring(slash + 1));
                if (typeMatches && subtypeMatches) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isZeroQ(ContentType range) {
        String q = range.parameters().value("q");
        if (q == null) {
            return false;
        }
        try {
            return Double.parseDouble(q) == 0.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Rejection fromParseError(ParseError error) {
        int code = error.status().code();
        return code == 400 ? badRequest(error.reason()) : Rejection.of(Status.of(code));
    }

    /** 400 with a short parenthesised detail: what is wrong, without the RFC reference. */
    private static Rejection badRequest(String detail) {
        String d = detail.replaceFirst("\\s*\\(RFC [^)]*\\)\\s*$", "").strip();
        if (d.length() > MAX_DETAIL) {
            d = d.substring(0, MAX_DETAIL - 3) + "...";
        }
        // A reason phrase is TEXT-UTF8; a parser's detail may quote control bytes of the input.
        d = d.replaceAll("[\\p{Cntrl}]", "?");
        return Rejection.of(d.isEmpty() ? Status.BAD_REQUEST_400 : Status.of(400, "Bad Request (" + d + ")"));
    }
}
