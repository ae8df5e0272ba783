package sip.message.internal;

import static sip.message.internal.HeaderTable.VIA;
import static sip.message.internal.HeaderTable.FROM;
import static sip.message.internal.HeaderTable.TO;
import static sip.message.internal.HeaderTable.CALL_ID;
import static sip.message.internal.HeaderTable.CSEQ;
import static sip.message.internal.HeaderTable.MAX_FORWARDS;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import sip.message.CSeq;
import sip.message.ExtensionHeader;
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.ParseError;
import sip.message.SipParseException;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.Via;
import sip.message.Violation;

/**
 * A message backed by its wire bytes and an index of its header fields: both parsed and built
 * messages are this. Immutable apart from caches, which are filled racily but only with
 * immutable values, so instances are safe to share.
 */
public abstract sealed class WireMessage permits WireRequest, WireResponse {
    /** Typed header per standard header ordinal, or null. */
    static final TypedHeader<?>[] TYPED = new TypedHeader<?>[HeaderTable.VALUES.length];

    static {
        for (HeaderType<?> t : HeaderType.ALL) {
            TYPED[((StandardHeader) t.name()).ordinal()] = (TypedHeader<?>) t;
        }
    }

    /** RFC 3261 §8.1.1 (Max-Forwards aside: proxies add it, RFC 2543 peers omit it). */
    private static final int[] MANDATORY = {VIA, FROM, TO, CALL_ID, CSEQ};
    private static final TypedHeader<Integer> MAX_FORWARDS_TYPE = (TypedHeader<Integer>) HeaderType.MAX_FORWARDS;

    final byte[] wire;
    final int start;
    final int[] idx;
    final int count;
    final int bodyStart;
    final int bodyLength;
    final ParseContext ctx;
    /** True when wire[start, bodyStart + bodyLength) is already the canonical serialisation. */
    final boolean canonical;
    private Object[] cache;
    private volatile Optional<ParseError> validation;

    WireMessage(byte[] wire, int start, int[] idx, int count, int bodyStart, int bodyLength,
                ParseContext ctx, boolean canonical, Object[] cache) {
        this.wire = wire;
        this.start = start;
        this.idx = idx;
        this.count = count;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
        this.ctx = ctx;
        this.canonical = canonical;
        this.cache = cache;
    }

    // ---------------------------------------------------------------- index access

    final int fieldId(int i) {
        return MessageHead.id(idx[i * MessageHead.STRIDE]);
    }

    final int nameStart(int i) {
        return MessageHead.nameStart(idx[i * MessageHead.STRIDE]);
    }

    final int nameEnd(int i) {
        int p = nameStart(i);
        while (p < wire.length && Grammar.is(wire[p], Grammar.TOKEN)) {
            p++;
        }
        return p;
    }

    final int valueStart(int i) {
        return idx[i * MessageHead.STRIDE + 1];
    }

    final int valueEnd(int i) {
        return idx[i * MessageHead.STRIDE + 2];
    }

    final HeaderName fieldName(int i) {
        int id = fieldId(i);
        if (id >= 0) {
            return HeaderTable.VALUES[id];
        }
        return new ExtensionHeader(new String(wire, nameStart(i), nameEnd(i) - nameStart(i), StandardCharsets.ISO_8859_1));
    }

    final String fieldValue(int i) {
        return Folding.unfold(wire, valueStart(i), valueEnd(i));
    }

    final boolean matches(int i, HeaderName name, int id) {
        if (id >= 0) {
            return fieldId(i) == id;
        }
        return fieldId(i) < 0 && HeaderTable.equalsIgnoreCase(wire, nameStart(i), nameEnd(i), name.canonical());
    }

    static int idOf(HeaderName name) {
        return name instanceof StandardHeader sh ? sh.ordinal() : -1;
    }

    final int indexOf(int id) {
        for (int i = 0; i < count; i++) {
            if (fieldId(i) == id) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- typed access

    /** All values of field {@code i}. */
    @SuppressWarnings("unchecked")
    final <T> List<T> typed(int i, TypedHeader<T> type) {
        Object v = typedCompact(i, type);
        return v instanceof List<?> l ? (List<T>) l : List.of((T) v);
    }

    /** The first value of field {@code i}, without making a list. */
    @SuppressWarnings("unchecked")
    final <T> T typedFirst(int i, TypedHeader<T> type) {
        Object v = typedCompact(i, type);
        return v instanceof List<?> l ? (T) l.get(0) : (T) v;
    }

    /** The cached value of field {@code i}: one value, or a List of several. */
    private Object typedCompact(int i, TypedHeader<?> type) {
        Object[] c = cache;
        if (c == null) {
            c = new Object[count];
            cache = c;
        }
        Object v = c[i];
        if (v == null) {
            try {
                v = type.parseFieldCompact(wire, valueStart(i), valueEnd(i), ctx);
            } catch (ParseFailure f) {
                int pos = f.position() < 0 ? valueStart(i) : f.position();
                v = f.inHeader(type.name()).toError(lineOf(pos), pos - start);
            }
            c[i] = v;
        }
        if (v instanceof ParseError e) {
            throw new SipParseException(e);
        }
        return v;
    }

    /** The 1-based line of byte {@code pos}. */
    final int lineOf(int pos) {
        return MessageDecoder.lineOf(wire, start, pos);
    }

    public final <T> List<T> all(HeaderType<T> type) {
        TypedHeader<T> th = (TypedHeader<T>) type;
        int id = idOf(th.name());
        List<T> first = null;
        List<T> acc = null;
        for (int i = 0; i < count; i++) {
            if (matches(i, th.name(), id)) {
                List<T> vals = typed(i, th);
                if (first == null) {
                    first = vals;
                } else {
                    if (acc == null) {
                        acc = new ArrayList<>(first);
                    }
                    acc.addAll(vals);
                }
            }
        }
        if (acc != null) {
            return List.copyOf(acc);
        }
        return first == null ? List.of() : first;
    }

    public final <T> Optional<T> first(HeaderType<T> type) {
        TypedHeader<T> th = (TypedHeader<T>) type;
        int id = idOf(th.name());
        for (int i = 0; i < count; i++) {
            if (matches(i, th.name(), id)) {
                return Optional.of(typedFirst(i, th));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private <T> T required(int id) {
        int i = indexOf(id);
        if (i < 0) {
            throw new SipParseException(new ParseError("missing " + HeaderTable.VALUES[id].canonical() + " header",
                Status.BAD_REQUEST_400, 0, 0, HeaderTable.VALUES[id]));
        }
        return (T) typedFirst(i, TYPED[id]);
    }

    public final Via topVia() {
        return required(VIA);
    }

    public final NameAddress from() {
        return required(FROM);
    }

    public final NameAddress to() {
        return required(TO);
    }

    public final String callId() {
        return required(CALL_ID);
    }

    public final CSeq cseq() {
        return required(CSEQ);
    }

    public final String fromTag() {
        return tagOf(FROM);
    }

    public final String toTag() {
        return tagOf(TO);
    }

    /** The tag of From or To: from the parsed value if cached, else by the fast reader. */
    private String tagOf(int id) {
        int i = indexOf(id);
        if (i >= 0) {
            Object[] c = cache;
            Object v = c == null ? null : c[i];
            if (v == null) {
                String tag = TagReader.tag(wire, valueStart(i), valueEnd(i));
                if (tag != TagReader.UNSURE) {
                    return tag;
                }
            }
        }
        NameAddress a = required(id);
        return a.tag();
    }

    public final OptionalInt maxForwards() {
        int i = indexOf(MAX_FORWARDS);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(typedFirst(i, MAX_FORWARDS_TYPE));
    }

    // ---------------------------------------------------------------- raw access

    public final String version() {
        return "SIP/2.0";
    }

    public final List<HeaderField> headers() {
        List<HeaderField> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new HeaderField(fieldName(i), fieldValue(i)));
        }
        return List.copyOf(out);
    }

    public final Optional<String> header(HeaderName name) {
        int id = idOf(name);
        for (int i = 0; i < count; i++) {
            if (matches(i, name, id)) {
                return Optional.of(fieldValue(i));
            }
        }
        return Optional.empty();
    }

    public final List<String> headerValues(HeaderName name) {
        int id = idOf(name);
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < count; i++) {
            if (matches(i, name, id)) {
                out.add(fieldValue(i));
            }
        }
        return List.copyOf(out);
    }

    public final boolean hasHeader(HeaderName name) {
        int id = idOf(name);
        for (int i = 0; i < count; i++) {
            if (matches(i, name, id)) {
                return true;
            }
        }
        return false;
    }

    public final byte[] body() {
        return Arrays.copyOfRange(wire, bodyStart, bodyStart + bodyLength);
    }

    public final int bodyLength() {
        return bodyLength;
    }

    public final Set<Violation> violations() {
        return ctx.violations();
    }

    // ---------------------------------------------------------------- validation

    public final Optional<ParseError> validate() {
        Optional<ParseError> v = validation;
        if (v == null) {
            v = Optional.ofNullable(check());
            validation = v;
        }
        return v;
    }

    /** The first problem, or null. */
    ParseError check() {
        ParseError e = checkStartLine();
        if (e != null) {
            return e;
        }
        for (int i = 0; i < count; i++) {
            int id = fieldId(i);
            if (id >= 0 && TYPED[id] != null) {
                try {
                    typedCompact(i, TYPED[id]);
                } catch (SipParseException x) {
                    return x.error();
                }
            }
        }
        StringBuilder missing = null;
        for (int id : MANDATORY) {
            if (indexOf(id) < 0) {
                missing = missing == null ? new StringBuilder() : missing.append(", ");
                missing.append(HeaderTable.VALUES[id].canonical());
            }
        }
        if (missing != null) {
            return new ParseError("missing mandatory header field(s): " + missing + " (RFC 3261 §8.1.1)",
                Status.BAD_REQUEST_400, 0, 0, null);
        }
        return checkConsistency();
    }

    /** Start-line checks that need parsing (the Request-URI). */
    abstract ParseError checkStartLine();

    /** Cross-header checks (CSeq method vs request method). */
    abstract ParseError checkConsistency();

    // ---------------------------------------------------------------- serialisation

    public final byte[] toBytes() {
        if (canonical) {
            return Arrays.copyOfRange(wire, start, bodyStart + bodyLength);
        }
        return rebuild().toBytes();
    }

    public final void writeTo(OutputStream out) throws IOException {
        if (canonical) {
            out.write(wire, start, bodyStart + bodyLength - start);
        } else {
            rebuild().writeTo(out);
        }
    }

    /** The same message re-serialised canonically (CRLF line ends, Content-Length). */
    abstract WireMessage rebuild();

    @Override
    public final String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }

    /** The cache array (for builders that copy parsed values). May be null. */
    final Object[] cacheSnapshot() {
        return cache;
    }
}
