package sip.message;

import java.util.Locale;

/**
 * The header names Parley knows, with their canonical case, compact form (RFC 3261 §7.3.3 and
 * the extensions that define one), and whether values may be comma-joined ({@link #isList()}) or
 * must appear at most once ({@link #isSingle()}).
 */
public enum StandardHeader implements HeaderName {
    ACCEPT("Accept", '\0', true, false),
    ACCEPT_CONTACT("Accept-Contact", 'a', true, false),
    ACCEPT_ENCODING("Accept-Encoding", '\0', true, false),
    ACCEPT_LANGUAGE("Accept-Language", '\0', true, false),
    ALERT_INFO("Alert-Info", '\0', true, false),
    ALLOW("Allow", '\0', true, false),
    ALLOW_EVENTS("Allow-Events", 'u', true, false),
    AUTHENTICATION_INFO("Authentication-Info", '\0', false, true),
    AUTHORIZATION("Authorization", '\0', false, false),
    CALL_ID("Call-ID", 'i', false, true),
    CALL_INFO("Call-Info", '\0', true, false),
    CONTACT("Contact", 'm', true, false),
    CONTENT_DISPOSITION("Content-Disposition", '\0', false, true),
    CONTENT_ENCODING("Content-Encoding", 'e', true, false),
    CONTENT_LANGUAGE("Content-Language", '\0', true, false),
    CONTENT_LENGTH("Content-Length", 'l', false, true),
    CONTENT_TYPE("Content-Type", 'c', false, true),
    CSEQ("CSeq", '\0', false, true),
    DATE("Date", '\0', false, true),
    ERROR_INFO("Error-Info", '\0', true, false),
    EVENT("Event", 'o', false, true),
    EXPIRES("Expires", '\0', false, true),
    FROM("From", 'f', false, true),
    IDENTITY("Identity", 'y', false, false),
    IN_REPLY_TO("In-Reply-To", '\0', true, false),
    MAX_FORWARDS("Max-Forwards", '\0', false, true),
    MIN_EXPIRES("Min-Expires", '\0', false, true),
    MIN_SE("Min-SE", '\0', false, true),
    MIME_VERSION("MIME-Version", '\0', false, true),
    ORGANIZATION("Organization", '\0', false, true),
    P_ASSERTED_IDENTITY("P-Asserted-Identity", '\0', true, false),
    PATH("Path", '\0', true, false),
    PRIORITY("Priority", '\0', false, true),
    PRIVACY("Privacy", '\0', false, false),
    PROXY_AUTHENTICATE("Proxy-Authenticate", '\0', false, false),
    PROXY_AUTHORIZATION("Proxy-Authorization", '\0', false, false),
    PROXY_REQUIRE("Proxy-Require", '\0', true, false),
    RACK("RAck", '\0', false, true),
    REASON("Reason", '\0', true, false),
    RECORD_ROUTE("Record-Route", '\0', true, false),
    REFER_TO("Refer-To", 'r', false, true),
    REFERRED_BY("Referred-By", 'b', false, true),
    REJECT_CONTACT("Reject-Contact", 'j', true, false),
    REPLY_TO("Reply-To", '\0', false, true),
    REQUEST_DISPOSITION("Request-Disposition", 'd', true, false),
    REQUIRE("Require", '\0', true, false),
    RETRY_AFTER("Retry-After", '\0', false, true),
    ROUTE("Route", '\0', true, false),
    RSEQ("RSeq", '\0', false, true),
    SERVER("Server", '\0', false, true),
    SERVICE_ROUTE("Service-Route", '\0', true, false),
    SESSION_EXPIRES("Session-Expires", 'x', false, true),
    SUBJECT("Subject", 's', false, true),
    SUBSCRIPTION_STATE("Subscription-State", '\0', false, true),
    SUPPORTED("Supported", 'k', true, false),
    TIMESTAMP("Timestamp", '\0', false, true),
    TO("To", 't', false, true),
    UNSUPPORTED("Unsupported", '\0', true, false),
    USER_AGENT("User-Agent", '\0', false, true),
    VIA("Via", 'v', true, false),
    WARNING("Warning", '\0', true, false),
    WWW_AUTHENTICATE("WWW-Authenticate", '\0', false, false);

    private static final StandardHeader[] BY_COMPACT = new StandardHeader[128];
    private static final java.util.Map<String, StandardHeader> BY_KEY = new java.util.HashMap<>();

    static {
        for (StandardHeader h : values()) {
            if (h.compact != 0) {
                BY_COMPACT[h.compact] = h;
            }
            BY_KEY.put(h.name.toLowerCase(Locale.ROOT), h);
        }
    }

    private final String name;
    private final char compact;
    private final boolean list;
    private final boolean single;

    StandardHeader(String name, char compact, boolean list, boolean single) {
        this.name = name;
        this.compact = compact;
        this.list = list;
        this.single = single;
    }

    @Override
    public String canonical() {
        return name;
    }

    @Override
    public char compact() {
        return compact;
    }

    @Override
    public boolean isList() {
        return list;
    }

    @Override
    public boolean isSingle() {
        return single;
    }

    /** The known header with this long or compact name in any case, or null. */
    public static StandardHeader lookup(String name) {
        if (name.length() == 1) {
            char c = Character.toLowerCase(name.charAt(0));
            return c < 128 ? BY_COMPACT[c] : null;
        }
        return BY_KEY.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name;
    }
}
