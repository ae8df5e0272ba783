package sip.router.auth;

import java.util.ArrayList;
import java.util.List;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.SipMessage;
import sip.message.SipParseException;

/**
 * Reads auth header fields one by one, skipping those that do not parse. A malformed field
 * (RFC 7235 token68 {@code Basic dXNlcg==} is not SIP grammar, RFC 3261 §25.1) cannot hold
 * usable credentials or challenges, and must not hide another field that does, which
 * {@link SipMessage#all} would by throwing for the whole header.
 */
final class AuthFields {
    private AuthFields() {}

    static List<AuthValue> all(SipMessage message, HeaderType<AuthValue> type) {
        List<AuthValue> out = new ArrayList<>();
        for (String field : message.headerValues(type.name())) {
            out.addAll(parse(type, field));
        }
        return out;
    }

    static List<AuthValue> parse(HeaderType<AuthValue> type, String field) {
        try {
            return type.parse(field);
        } catch (SipParseException e) {
            return List.of();
        }
    }
}
