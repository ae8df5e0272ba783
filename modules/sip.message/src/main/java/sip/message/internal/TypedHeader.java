package sip.message.internal;

import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.SipParseException;

/**
 * The implementation of {@link HeaderType}: the header's name and the parser of one value.
 *
 * @param <T> the type of one value
 */
public final class TypedHeader<T> implements HeaderType<T> {
    private final HeaderName name;
    private final ValueParser<T> parser;

    public TypedHeader(HeaderName name, ValueParser<T> parser) {
        this.name = name;
        this.parser = parser;
    }

    @Override
    public HeaderName name() {
        return name;
    }

    public ValueParser<T> parser() {
        return parser;
    }

    /**
     * Parses the field value in {@code b[from, to)}: one value, or for a list header values
     * separated by commas. Throws {@link ParseFailure} (tagged with this header) when malformed.
     */
    @SuppressWarnings("unchecked")
    public List<T> parseField(byte[] b, int from, int to, ParseContext ctx) {
        Object v = parseFieldCompact(b, from, to, ctx);
        return v instanceof List<?> l ? (List<T>) l : List.of((T) v);
    }

    /**
     * As {@link #parseField} but a field holding one value gives that value itself, not a list:
     * the message cache keeps it so, which saves a list per typed read on the hot path. No value
     * type is a {@link List}, so the two cannot be confused.
     */
    public Object parseFieldCompact(byte[] b, int from, int to, ParseContext ctx) {
        ValueReader in = new ValueReader(b, from, to);
        try {
            in.skipLws();
            if (in.atEnd()) {
                throw new ParseFailure("empty " + name.canonical() + " value", from);
            }
            T first = parser.parse(in, ctx);
            in.skipLws();
            if (in.atEnd()) {
                return first;
            }
            if (!name.isList()) {
                throw new ParseFailure("unexpected '" + (char) (in.peek() & 0xFF) + "' after the "
                    + name.canonical() + " value", in.position());
            }
            List<T> values = new ArrayList<>(4);
            values.add(first);
            while (!in.atEnd()) {
                if (in.peek() != ',') {
                    throw new ParseFailure("expected ',' between " + name.canonical() + " values", in.position());
                }
                in.advance();
                in.skipLws();
                if (in.atEnd() || in.peek() == ',') {
                    throw new ParseFailure("empty value in the " + name.canonical() + " list", in.position());
                }
                values.add(parser.parse(in, ctx));
                in.skipLws();
            }
            return List.copyOf(values);
        } catch (ParseFailure f) {
            throw f.inHeader(name);
        } catch (RuntimeException e) {
            // A parser bug must never escape as anything but a malformed value.
            throw new ParseFailure("malformed " + name.canonical() + " value (" + e + ")", from).inHeader(name);
        }
    }

    @Override
    public List<T> parse(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        try {
            return parseField(b, 0, b.length, ParseContext.lenient());
        } catch (ParseFailure f) {
            throw new SipParseException(f.toError(0, Math.max(0, f.position())));
        }
    }

    @Override
    public String format(T value) {
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return "HeaderType[" + name.canonical() + "]";
    }
}
