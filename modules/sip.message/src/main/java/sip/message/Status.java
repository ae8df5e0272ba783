package sip.message;

/**
 * A SIP response status: code and reason phrase. An open value type: the common codes are
 * constants, any code from 100 to 699 can be made with {@link #of(int)} or
 * {@link #of(int, String)}. Equality is by code only; the reason phrase is informational
 * (RFC 3261 §21).
 */
public final class Status {
    public static final Status TRYING_100 = new Status(100, "Trying");
    public static final Status RINGING_180 = new Status(180, "Ringing");
    public static final Status CALL_IS_BEING_FORWARDED_181 = new Status(181, "Call Is Being Forwarded");
    public static final Status QUEUED_182 = new Status(182, "Queued");
    public static final Status SESSION_PROGRESS_183 = new Status(183, "Session Progress");
    public static final Status OK_200 = new Status(200, "OK");
    public static final Status ACCEPTED_202 = new Status(202, "Accepted");
    public static final Status MULTIPLE_CHOICES_300 = new Status(300, "Multiple Choices");
    public static final Status MOVED_PERMANENTLY_301 = new Status(301, "Moved Permanently");
    public static final Status MOVED_TEMPORARILY_302 = new Status(302, "Moved Temporarily");
    public static final Status USE_PROXY_305 = new Status(305, "Use Proxy");
    public static final Status BAD_REQUEST_400 = new Status(400, "Bad Request");
    public static final Status UNAUTHORIZED_401 = new Status(401, "Unauthorized");
    public static final Status FORBIDDEN_403 = new Status(403, "Forbidden");
    public static final Status NOT_FOUND_404 = new Status(404, "Not Found");
    public static final Status METHOD_NOT_ALLOWED_405 = new Status(405, "Method Not Allowed");
    public static final Status NOT_ACCEPTABLE_406 = new Status(406, "Not Acceptable");
    public static final Status PROXY_AUTHENTICATION_REQUIRED_407 = new Status(407, "Proxy Authentication Required");
    public static final Status REQUEST_TIMEOUT_408 = new Status(408, "Request Timeout");
    public static final Status GONE_410 = new Status(410, "Gone");
    public static final Status REQUEST_ENTITY_TOO_LARGE_413 = new Status(413, "Request Entity Too Large");
    public static final Status REQUEST_URI_TOO_LONG_414 = new Status(414, "Request-URI Too Long");
    public static final Status UNSUPPORTED_MEDIA_TYPE_415 = new Status(415, "Unsupported Media Type");
    public static final Status UNSUPPORTED_URI_SCHEME_416 = new Status(416, "Unsupported URI Scheme");
    public static final Status BAD_EXTENSION_420 = new Status(420, "Bad Extension");
    public static final Status EXTENSION_REQUIRED_421 = new Status(421, "Extension Required");
    public static final Status INTERVAL_TOO_BRIEF_423 = new Status(423, "Interval Too Brief");
    public static final Status TEMPORARILY_UNAVAILABLE_480 = new Status(480, "Temporarily Unavailable");
    public static final Status CALL_DOES_NOT_EXIST_481 = new Status(481, "Call/Transaction Does Not Exist");
    public static final Status LOOP_DETECTED_482 = new Status(482, "Loop Detected");
    public static final Status TOO_MANY_HOPS_483 = new Status(483, "Too Many Hops");
    public static final Status ADDRESS_INCOMPLETE_484 = new Status(484, "Address Incomplete");
    public static final Status AMBIGUOUS_485 = new Status(485, "Ambiguous");
    public static final Status BUSY_HERE_486 = new Status(486, "Busy Here");
    public static final Status REQUEST_TERMINATED_487 = new Status(487, "Request Terminated");
    public static final Status NOT_ACCEPTABLE_HERE_488 = new Status(488, "Not Acceptable Here");
    public static final Status BAD_EVENT_489 = new Status(489, "Bad Event");
    public static final Status REQUEST_PENDING_491 = new Status(491, "Request Pending");
    public static final Status UNDECIPHERABLE_493 = new Status(493, "Undecipherable");
    public static final Status SERVER_INTERNAL_ERROR_500 = new Status(500, "Server Internal Error");
    public static final Status NOT_IMPLEMENTED_501 = new Status(501, "Not Implemented");
    public static final Status BAD_GATEWAY_502 = new Status(502, "Bad Gateway");
    public static final Status SERVICE_UNAVAILABLE_503 = new Status(503, "Service Unavailable");
    public static final Status SERVER_TIMEOUT_504 = new Status(504, "Server Time-out");
    public static final Status VERSION_NOT_SUPPORTED_505 = new Status(505, "Version Not Supported");
    public static final Status MESSAGE_TOO_LARGE_513 = new Status(513, "Message Too Large");
    public static final Status BUSY_EVERYWHERE_600 = new Status(600, "Busy Everywhere");
    public static final Status DECLINE_603 = new Status(603, "Decline");
    public static final Status DOES_NOT_EXIST_ANYWHERE_604 = new Status(604, "Does Not Exist Anywhere");
    public static final Status NOT_ACCEPTABLE_606 = new Status(606, "Not Acceptable");

    private static final Status[] KNOWN = {
        TRYING_100, RINGING_180, CALL_IS_BEING_FORWARDED_181, QUEUED_182, SESSION_PROGRESS_183,
        OK_200, ACCEPTED_202, MULTIPLE_CHOICES_300, MOVED_PERMANENTLY_301, MOVED_TEMPORARILY_302,
        USE_PROXY_305, BAD_REQUEST_400, UNAUTHORIZED_401, FORBIDDEN_403, NOT_FOUND_404,
        METHOD_NOT_ALLOWED_405, NOT_ACCEPTABLE_406, PROXY_AUTHENTICATION_REQUIRED_407,
        REQUEST_TIMEOUT_408, GONE_410, REQUEST_ENTITY_TOO_LARGE_413, REQUEST_URI_TOO_LONG_414,
        UNSUPPORTED_MEDIA_TYPE_415, UNSUPPORTED_URI_SCHEME_416, BAD_EXTENSION_420,
        EXTENSION_REQUIRED_421, INTERVAL_TOO_BRIEF_423, TEMPORARILY_UNAVAILABLE_480,
        CALL_DOES_NOT_EXIST_481, LOOP_DETECTED_482, TOO_MANY_HOPS_483, ADDRESS_INCOMPLETE_484,
        AMBIGUOUS_485, BUSY_HERE_486, REQUEST_TERMINATED_487, NOT_ACCEPTABLE_HERE_488,
        BAD_EVENT_489, REQUEST_PENDING_491, UNDECIPHERABLE_493, SERVER_INTERNAL_ERROR_500,
        NOT_IMPLEMENTED_501, BAD_GATEWAY_502, SERVICE_UNAVAILABLE_503, SERVER_TIMEOUT_504,
        VERSION_NOT_SUPPORTED_505, MESSAGE_TOO_LARGE_513, BUSY_EVERYWHERE_600, DECLINE_603,
        DOES_NOT_EXIST_ANYWHERE_604, NOT_ACCEPTABLE_606
    };

    private final int code;
    private final String reason;

    private Status(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /**
     * The status with this code and its RFC reason phrase (or a generic one for unknown codes).
     *
     * @throws IllegalArgumentException if {@code code} is outside 100..699
     */
    public static Status of(int code) {
        check(code);
        for (Status s : KNOWN) {
            if (s.code == code) {
                return s;
            }
        }
        return new Status(code, defaultReason(code));
    }

    /**
     * The status with this code and reason phrase.
     *
     * @throws IllegalArgumentException if {@code code} is outside 100..699 or the reason holds CR
     *     or LF
     */
    public static Status of(int code, String reason) {
        check(code);
        sip.message.internal.Grammar.requireText("reason phrase", reason);
        Status known = null;
        for (Status s : KNOWN) {
            if (s.code == code) {
                known = s;
                break;
            }
        }
        return known != null && known.reason.equals(reason) ? known : new Status(code, reason);
    }

    private static void check(int code) {
        if (code < 100 || code > 699) {
            throw new IllegalArgumentException("status code must be 100..699: " + code);
        }
    }

    private static String defaultReason(int code) {
        return switch (code / 100) {
            case 1 -> "Provisional";
            case 2 -> "Success";
            case 3 -> "Redirection";
            case 4 -> "Client Error";
            case 5 -> "Server Error";
            default -> "Global Failure";
        };
    }

    public int code() {
        return code;
    }

    /** The reason phrase, UTF-8 decoded; may be empty (RFC 4475 §3.1.1.13). */
    public String reason() {
        return reason;
    }

    /** The first digit: 1 for provisional, 2 for success, ... 6 for global failure. */
    public int statusClass() {
        return code / 100;
    }

    public boolean isProvisional() {
        return code < 200;
    }

    public boolean isFinal() {
        return code >= 200;
    }

    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Status s && s.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return code + " " + reason;
    }
}
