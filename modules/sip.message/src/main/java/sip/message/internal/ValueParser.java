package sip.message.internal;

/**
 * Parses one value of a header from a {@link ValueReader} positioned at its first byte (leading
 * LWS already skipped). It must stop before a top-level ',' (the next value of a list header) or
 * at the end, and throws {@link ParseFailure} when the value is malformed.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ValueParser<T> {
    T parse(ValueReader in, ParseContext ctx);
}
