package sip.message;

/**
 * What request and response builders share. Every setter validates (no CR or LF can reach a
 * header, names must be tokens) and returns the builder; {@code build()} gives an immutable
 * message whose Content-Length always matches its body.
 *
 * @param <B> the builder type
 * @param <M> the message type
 */
public interface MessageBuilder<B extends MessageBuilder<B, M>, M extends SipMessage> {

    /** Appends a field with a raw value. */
    B addHeader(HeaderName name, String value);

    /** Appends a field with a raw value. */
    default B addHeader(String name, String value) {
        return addHeader(HeaderName.of(name), value);
    }

    /** Replaces every field named {@code name} with one field holding {@code value}. */
    B setHeader(HeaderName name, String value);

    default B setHeader(String name, String value) {
        return setHeader(HeaderName.of(name), value);
    }

    /** Removes every field named {@code name}. */
    B removeHeader(HeaderName name);

    default B removeHeader(String name) {
        return removeHeader(HeaderName.of(name));
    }

    /** Appends a typed value as a new field after the last field of that name (or at the end). */
    <T> B add(HeaderType<T> type, T value);

    /** Inserts a typed value as a new field before the first field of that name (proxies' Via). */
    <T> B addFirst(HeaderType<T> type, T value);

    /** Replaces every field of the type with one field holding {@code value}. */
    <T> B set(HeaderType<T> type, T value);

    /**
     * Removes the first value of a list header (splitting a comma-joined field if needed), as a
     * proxy pops its Route or a response its Via.
     *
     * @return the builder
     */
    B removeFirst(HeaderType<?> type);

    default B from(NameAddress from) {
        return set(HeaderType.FROM, from);
    }

    default B to(NameAddress to) {
        return set(HeaderType.TO, to);
    }

    default B callId(String callId) {
        return set(HeaderType.CALL_ID, callId);
    }

    default B via(Via via) {
        return addFirst(HeaderType.VIA, via);
    }

    default B contact(Contact contact) {
        return add(HeaderType.CONTACT, contact);
    }

    default B maxForwards(int hops) {
        return set(HeaderType.MAX_FORWARDS, hops);
    }

    /** Sets the body (copied) and its Content-Type. */
    B body(ContentType type, byte[] body);

    /** Removes the body and Content-Type. */
    B noBody();

    /**
     * Builds the message.
     *
     * @throws IllegalStateException naming what is missing or inconsistent
     */
    M build();
}
