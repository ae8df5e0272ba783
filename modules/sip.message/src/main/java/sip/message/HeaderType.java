package sip.message;

import java.util.List;
import sip.message.internal.HeaderParsers;
import sip.message.internal.TypedHeader;

/**
 * A header with a typed view: its name and how its values parse. Read with
 * {@link SipMessage#all(HeaderType)} and {@link SipMessage#first(HeaderType)}, write with the
 * message builders. Values are parsed on first access and cached.
 *
 * @param <T> the type of one value
 */
public sealed interface HeaderType<T> permits TypedHeader {
    HeaderType<Via> VIA = new TypedHeader<>(StandardHeader.VIA, HeaderParsers::via);
    HeaderType<NameAddress> FROM = new TypedHeader<>(StandardHeader.FROM, HeaderParsers::nameAddress);
    HeaderType<NameAddress> TO = new TypedHeader<>(StandardHeader.TO, HeaderParsers::nameAddress);
    HeaderType<Contact> CONTACT = new TypedHeader<>(StandardHeader.CONTACT, HeaderParsers::contact);
    HeaderType<String> CALL_ID = new TypedHeader<>(StandardHeader.CALL_ID, HeaderParsers::callId);
    HeaderType<CSeq> CSEQ = new TypedHeader<>(StandardHeader.CSEQ, HeaderParsers::cseq);
    HeaderType<Integer> MAX_FORWARDS = new TypedHeader<>(StandardHeader.MAX_FORWARDS, HeaderParsers::maxForwards);
    HeaderType<NameAddress> ROUTE = new TypedHeader<>(StandardHeader.ROUTE, HeaderParsers::nameAddress);
    HeaderType<NameAddress> RECORD_ROUTE = new TypedHeader<>(StandardHeader.RECORD_ROUTE, HeaderParsers::nameAddress);
    HeaderType<NameAddress> PATH = new TypedHeader<>(StandardHeader.PATH, HeaderParsers::nameAddress);
    HeaderType<NameAddress> SERVICE_ROUTE = new TypedHeader<>(StandardHeader.SERVICE_ROUTE, HeaderParsers::nameAddress);
    HeaderType<NameAddress> REPLY_TO = new TypedHeader<>(StandardHeader.REPLY_TO, HeaderParsers::nameAddress);
    HeaderType<NameAddress> REFER_TO = new TypedHeader<>(StandardHeader.REFER_TO, HeaderParsers::nameAddress);
    HeaderType<NameAddress> P_ASSERTED_IDENTITY = new TypedHeader<>(StandardHeader.P_ASSERTED_IDENTITY, HeaderParsers::nameAddress);
    HeaderType<Integer> CONTENT_LENGTH = new TypedHeader<>(StandardHeader.CONTENT_LENGTH, HeaderParsers::contentLength);
    HeaderType<ContentType> CONTENT_TYPE = new TypedHeader<>(StandardHeader.CONTENT_TYPE, HeaderParsers::mediaType);
    HeaderType<Long> EXPIRES = new TypedHeader<>(StandardHeader.EXPIRES, HeaderParsers::deltaSeconds);
    HeaderType<Long> MIN_EXPIRES = new TypedHeader<>(StandardHeader.MIN_EXPIRES, HeaderParsers::deltaSeconds);
    HeaderType<String> REQUIRE = new TypedHeader<>(StandardHeader.REQUIRE, HeaderParsers::token);
    HeaderType<String> PROXY_REQUIRE = new TypedHeader<>(StandardHeader.PROXY_REQUIRE, HeaderParsers::token);
    HeaderType<String> SUPPORTED = new TypedHeader<>(StandardHeader.SUPPORTED, HeaderParsers::token);
    HeaderType<String> UNSUPPORTED = new TypedHeader<>(StandardHeader.UNSUPPORTED, HeaderParsers::token);
    HeaderType<Method> ALLOW = new TypedHeader<>(StandardHeader.ALLOW, HeaderParsers::method);
    HeaderType<ContentType> ACCEPT = new TypedHeader<>(StandardHeader.ACCEPT, HeaderParsers::mediaType);
    HeaderType<AuthValue> WWW_AUTHENTICATE = new TypedHeader<>(StandardHeader.WWW_AUTHENTICATE, HeaderParsers::auth);
    HeaderType<AuthValue> AUTHORIZATION = new TypedHeader<>(StandardHeader.AUTHORIZATION, HeaderParsers::auth);
    HeaderType<AuthValue> PROXY_AUTHENTICATE = new TypedHeader<>(StandardHeader.PROXY_AUTHENTICATE, HeaderParsers::auth);
    HeaderType<AuthValue> PROXY_AUTHORIZATION = new TypedHeader<>(StandardHeader.PROXY_AUTHORIZATION, HeaderParsers::auth);
    HeaderType<RetryAfter> RETRY_AFTER = new TypedHeader<>(StandardHeader.RETRY_AFTER, HeaderParsers::retryAfter);
    HeaderType<Warning> WARNING = new TypedHeader<>(StandardHeader.WARNING, HeaderParsers::warning);
    HeaderType<SipDate> DATE = new TypedHeader<>(StandardHeader.DATE, HeaderParsers::date);
    HeaderType<Event> EVENT = new TypedHeader<>(StandardHeader.EVENT, HeaderParsers::event);
    HeaderType<SubscriptionState> SUBSCRIPTION_STATE = new TypedHeader<>(StandardHeader.SUBSCRIPTION_STATE, HeaderParsers::subscriptionState);
    HeaderType<Reason> REASON = new TypedHeader<>(StandardHeader.REASON, HeaderParsers::reason);

    /** Every typed header above, for validation and tests. */
    List<HeaderType<?>> ALL = List.of(VIA, FROM, TO, CONTACT, CALL_ID, CSEQ, MAX_FORWARDS, ROUTE,
        RECORD_ROUTE, PATH, SERVICE_ROUTE, REPLY_TO, REFER_TO, P_ASSERTED_IDENTITY, CONTENT_LENGTH,
        CONTENT_TYPE, EXPIRES, MIN_EXPIRES, REQUIRE, PROXY_REQUIRE, SUPPORTED, UNSUPPORTED, ALLOW,
        ACCEPT, WWW_AUTHENTICATE, AUTHORIZATION, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION,
        RETRY_AFTER, WARNING, DATE, EVENT, SUBSCRIPTION_STATE, REASON);

    /** The header's name. */
    HeaderName name();

    /**
     * Parses one header field value (the part after the colon) into its values: several for a
     * comma-joined list header, otherwise one. Lenient profile.
     *
     * @throws SipParseException if the value is malformed
     */
    List<T> parse(String value);

    /** The wire form of one value (the part after the colon). */
    String format(T value);

    /** The typed header for {@code name}, or null when Parley has no typed view of it. */
    static HeaderType<?> of(HeaderName name) {
        for (HeaderType<?> t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
