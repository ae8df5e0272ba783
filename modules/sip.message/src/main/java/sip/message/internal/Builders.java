package sip.message.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import sip.message.CSeq;
import sip.message.ContentType;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.Uri;

/** Entry points of the message builders, and the builder implementations. */
public final class Builders {
    private Builders() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A To/From tag: 64 bits from a CSPRNG (RFC 3261 §19.3 asks for at least 32). */
    public static String newTag() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static SipRequest.Builder request(Method method, Uri uri) {
        return new RequestBuilder(Objects.requireNonNull(method, "method"), Objects.requireNonNull(uri, "uri"),
            new ArrayList<>());
    }

    public static SipResponse.Builder response(Status status) {
        return new ResponseBuilder(Objects.requireNonNull(status, "status"), new ArrayList<>());
    }

    private static final int VIA = StandardHeader.VIA.ordinal();
    private static final int FROM = StandardHeader.FROM.ordinal();
    private static final int TO = StandardHeader.TO.ordinal();
    private static final int CALL_ID = StandardHeader.CALL_ID.ordinal();
    private static final int CSEQ = StandardHeader.CSEQ.ordinal();
    private static final int TIMESTAMP = StandardHeader.TIMESTAMP.ordinal();
    private static final int RECORD_ROUTE = StandardHeader.RECORD_ROUTE.ordinal();

    /** RFC 3261 §8.2.6 / §12.1.1. */
    public static SipResponse.Builder response(SipRequest request, Status status) {
        WireMessage req = (WireMessage) request;
        List<Entry> entries = new ArrayList<>();
        int code = status.code();
        boolean dialogCreating = code > 100 && code < 300 && (request.method().equals(Method.INVITE)
            || request.method().equals(Method.SUBSCRIBE) || request.method().equals(Method.REFER)
            || request.method().equals(Method.NOTIFY));
        for (int i = 0; i < req.count; i++) {
            int id = req.fieldId(i);
            if (id == VIA || id == FROM || id == CALL_ID || id == CSEQ
                || (id == RECORD_ROUTE && dialogCreating) || (id == TIMESTAMP && code == 100)) {
                entries.add(Entry.raw(req, i));
            } else if (id == TO) {
                Entry to = Entry.raw(req, i);
                if (code != 100) {
                    NameAddress value = request.to();
                    if (value.tag() == null) {
                        to = Entry.typed(HeaderType.TO, value.withTag(newTag()));
                    }
                }
                entries.add(to);
            }
        }
        return new ResponseBuilder(status, entries);
    }

    static SipRequest.Builder copy(WireRequest r) {
        RequestBuilder b = new RequestBuilder(r.method(), null, copyEntries(r));
        b.original = r;
        return b;
    }

    static SipResponse.Builder copy(WireResponse r) {
        ResponseBuilder b = new ResponseBuilder(r.status(), copyEntries(r));
        b.body = r.body();
        return b;
    }

    private static List<Entry> copyEntries(WireMessage m) {
        List<Entry> entries = new ArrayList<>(m.count + 2);
        for (int i = 0; i < m.count; i++) {
            entries.add(Entry.raw(m, i));
        }
        return entries;
    }

    // ------------------------------------------------------------------ entries

    /** One header field in a builder: a span of an existing message, or a new value. */
    static final class Entry {
        final HeaderName name;
        final int id;
        final WireMessage source; // raw span holder, or null
        final int field;          // index in source
        final String value;       // new value text, or null for raw
        final List<?> typed;      // parsed values when known, or null

        private Entry(HeaderName name, WireMessage source, int field, String value, List<?> typed) {
            this.name = name;
            this.id = WireMessage.idOf(name);
            this.source = source;
            this.field = field;
            this.value = value;
            this.typed = typed;
        }

        static Entry raw(WireMessage m, int i) {
            Object[] c = m.cacheSnapshot();
            Object t = c == null ? null : c[i];
            return new Entry(m.fieldName(i), m, i, null, t instanceof List<?> l ? l : null);
        }

        static <T> Entry typed(HeaderType<T> type, T value) {
            Objects.requireNonNull(value, "value");
            String text = type.format(value);
            Grammar.requireNoCrLf(type.name().canonical(), text);
            return new Entry(type.name(), null, -1, text, List.of(value));
        }

        static <T> Entry typedList(HeaderType<T> type, List<T> values) {
            StringBuilder sb = new StringBuilder();
            for (T v : values) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(type.format(v));
            }
            return new Entry(type.name(), null, -1, sb.toString(), List.copyOf(values));
        }

        static Entry text(HeaderName name, String value) {
            Objects.requireNonNull(name, "name");
            Grammar.requireNoCrLf(name.canonical() + " value", Objects.requireNonNull(value, "value"));
            return new Entry(name, null, -1, value.strip(), null);
        }

        boolean is(HeaderName n) {
            return n.equals(name);
        }
    }

    // ------------------------------------------------------------------ builders

    /** What both builders share: the field list and the body. */
    abstract static class Base<B, M> {
        final List<Entry> entries;
        byte[] body; // null: the original's body (requests) or none

        Base(List<Entry> entries) {
            this.entries = entries;
        }

        abstract B self();

        public B addHeader(HeaderName name, String value) {
            entries.add(Entry.text(name, value));
            return self();
        }

        public B setHeader(HeaderName name, String value) {
            return replace(name, Entry.text(name, value));
        }

        public B removeHeader(HeaderName name) {
            entries.removeIf(e -> e.is(name));
            return self();
        }

        public <T> B add(HeaderType<T> type, T value) {
            Entry e = Entry.typed(type, value);
            int last = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).is(type.name())) {
                    last = i;
                }
            }
            entries.add(last < 0 ? entries.size() : last + 1, e);
            return self();
        }

        public <T> B addFirst(HeaderType<T> type, T value) {
            Entry e = Entry.typed(type, value);
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).is(type.name())) {
                    entries.add(i, e);
                    return self();
                }
            }
            entries.add(0, e);
            return self();
        }

        public <T> B set(HeaderType<T> type, T value) {
            return replace(type.name(), Entry.typed(type, value));
        }

        private B replace(HeaderName name, Entry e) {
            int first = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).is(name)) {
                    first = i;
                    break;
                }
            }
            if (first < 0) {
                entries.add(e);
            } else {
                entries.set(first, e);
                for (int i = entries.size() - 1; i > first; i--) {
                    if (entries.get(i).is(name)) {
                        entries.remove(i);
                    }
                }
            }
            return self();
        }

        public B removeFirst(HeaderType<?> type) {
            return removeFirstOf(type);
        }

        private <T> B removeFirstOf(HeaderType<T> type) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.is(type.name())) {
                    List<T> values = valuesOf(e, type);
                    if (values.size() <= 1) {
                        entries.remove(i);
                    } else {
                        entries.set(i, Entry.typedList(type, values.subList(1, values.size())));
                    }
                    break;
                }
            }
            return self();
        }

        @SuppressWarnings("unchecked")
        private static <T> List<T> valuesOf(Entry e, HeaderType<T> type) {
            if (e.typed != null) {
                return (List<T>) e.typed;
            }
            if (e.source != null) {
                return e.source.typed(e.field, (TypedHeader<T>) type);
            }
            return type.parse(e.value);
        }

        public B body(ContentType type, byte[] content) {
            Objects.requireNonNull(type, "type");
            this.body = content.clone();
            return set(HeaderType.CONTENT_TYPE, type);
        }

        public B noBody() {
            this.body = new byte[0];
            return removeHeader(StandardHeader.CONTENT_TYPE);
        }

        boolean has(int id) {
            for (Entry e : entries) {
                if (e.id == id) {
                    return true;
                }
            }
            return false;
        }

        Entry find(int id) {
            for (Entry e : entries) {
                if (e.id == id) {
                    return e;
                }
            }
            return null;
        }
    }

    static final class RequestBuilder extends Base<SipRequest.Builder, SipRequest> implements SipRequest.Builder {
        private Method method;
        private Uri uri;
        WireRequest original; // where the Request-URI span comes from when uri is null

        RequestBuilder(Method method, Uri uri, List<Entry> entries) {
            super(entries);
            this.method = method;
            this.uri = uri;
        }

        @Override
        SipRequest.Builder self() {
            return this;
        }

        @Override
        public SipRequest.Builder method(Method m) {
            this.method = Objects.requireNonNull(m, "method");
            return this;
        }

        @Override
        public SipRequest.Builder requestUri(Uri u) {
            this.uri = Objects.requireNonNull(u, "uri");
            return this;
        }

        @Override
        public SipRequest.Builder cseq(long sequence) {
            return set(HeaderType.CSEQ, new CSeq(sequence, method));
        }

        @Override
        public SipRequest build() {
            return build(true);
        }

        /**
         * @param check false to serialise exactly what is there (re-serialising a parsed message,
         *     even a partial one) without the checks and defaults of a new request
         */
        SipRequest build(boolean check) {
            if (check) {
                checkRequest();
            }
            return writeRequest();
        }

        private void checkRequest() {
            StringBuilder missing = new StringBuilder();
            for (int id : new int[] {FROM, TO, CALL_ID, CSEQ}) {
                if (!has(id)) {
                    missing.append(missing.isEmpty() ? "" : ", ").append(HeaderTable.VALUES[id].canonical());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("a request needs " + missing + " (RFC 3261 §8.1.1)");
            }
            Entry cseq = find(CSEQ);
            CSeq value = (CSeq) valuesOfAny(cseq, HeaderType.CSEQ);
            if (!value.method().equals(method)) {
                throw new IllegalStateException("CSeq method " + value.method() + " does not match the request method "
                    + method + " (RFC 3261 §8.1.1.5)");
            }
            if (original == null && !has(StandardHeader.MAX_FORWARDS.ordinal())) {
                entries.add(Entry.typed(HeaderType.MAX_FORWARDS, 70));
            }
        }

        private SipRequest writeRequest() {
            byte[] uriBytes = uri != null
                ? uri.toString().getBytes(StandardCharsets.UTF_8)
                : original.rawRequestUri().getBytes(StandardCharsets.UTF_8);
            byte[] methodBytes = method.name().getBytes(StandardCharsets.ISO_8859_1);
            byte[] startLine = concat(methodBytes, new byte[] {' '}, uriBytes,
                " SIP/2.0\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Written w = write(startLine, entries, bodyBytes());
            int methodEnd = methodBytes.length;
            Object cachedUri = uri != null ? uri : original.cachedUri();
            return new WireRequest(w.wire, 0, method, methodEnd, methodEnd + 1, methodEnd + 1 + uriBytes.length,
                w.idx, w.count, w.bodyStart, w.bodyLength, contextOf(original), true, w.cache,
                cachedUri instanceof Uri u ? u : null);
        }

        private byte[] bodyBytes() {
            if (body != null) {
                return body;
            }
            return original == null ? new byte[0] : original.body();
        }
    }

    static final class ResponseBuilder extends Base<SipResponse.Builder, SipResponse> implements SipResponse.Builder {
        private Status status;

        ResponseBuilder(Status status, List<Entry> entries) {
            super(entries);
            this.status = status;
        }

        @Override
        SipResponse.Builder self() {
            return this;
        }

        @Override
        public SipResponse.Builder status(Status s) {
            this.status = Objects.requireNonNull(s, "status");
            return this;
        }

        @Override
        public SipResponse.Builder toTag(String tag) {
            Grammar.requireNoCrLf("tag", tag);
            Entry to = find(TO);
            if (to == null) {
                throw new IllegalStateException("no To header to tag");
            }
            NameAddress value = (NameAddress) valuesOfAny(to, HeaderType.TO);
            return set(HeaderType.TO, value.withTag(tag));
        }

        @Override
        public SipResponse build() {
            byte[] startLine = ("SIP/2.0 " + status.code() + " " + status.reason() + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
            byte[] content = body != null ? body : new byte[0];
            Written w = write(startLine, entries, content);
            return new WireResponse(w.wire, 0, status.code(), 12, startLine.length - 2, w.idx, w.count,
                w.bodyStart, w.bodyLength, ParseContext.lenient(), true, w.cache, status);
        }
    }

    private static ParseContext contextOf(WireMessage m) {
        return m == null ? ParseContext.lenient() : m.ctx;
    }

    @SuppressWarnings("unchecked")
    private static Object valuesOfAny(Entry e, HeaderType<?> type) {
        if (e.typed != null) {
            return e.typed.get(0);
        }
        if (e.source != null) {
            return e.source.typed(e.field, (TypedHeader<Object>) type).get(0);
        }
        return type.parse(e.value).get(0);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ serialisation

    /** The result of writing a message: bytes plus the index of what was written. */
    record Written(byte[] wire, int[] idx, int count, int bodyStart, int bodyLength, Object[] cache) {}

    private static final int CONTENT_LENGTH = StandardHeader.CONTENT_LENGTH.ordinal();

    /**
     * Writes start line, fields and body; untouched fields are copied byte for byte (line ends
     * normalised to CRLF); Content-Length always equals the body length.
     */
    static Written write(byte[] startLine, List<Entry> entries, byte[] body) {
        // Content-Length: keep an original field that is already right, else write a new one.
        List<Entry> fields = new ArrayList<>(entries.size() + 1);
        boolean clWritten = false;
        for (Entry e : entries) {
            if (e.id == CONTENT_LENGTH) {
                if (clWritten) {
                    continue;
                }
                clWritten = true;
                if (e.source != null && rawEqualsNumber(e, body.length)) {
                    fields.add(e);
                } else {
                    fields.add(Entry.typed(HeaderType.CONTENT_LENGTH, body.length));
                }
            } else {
                fields.add(e);
            }
        }
        if (!clWritten) {
            fields.add(Entry.typed(HeaderType.CONTENT_LENGTH, body.length));
        }
        int size = startLine.length + 2 + body.length;
        byte[][] texts = new byte[fields.size()][];
        for (int i = 0; i < fields.size(); i++) {
            Entry e = fields.get(i);
            if (e.source != null) {
                size += e.source.valueEnd(e.field) - e.source.nameStart(e.field) + 2 + extraCrs(e);
            } else {
                texts[i] = e.value.getBytes(StandardCharsets.UTF_8);
                size += e.name.canonical().length() + 2 + texts[i].length + 2;
            }
        }
        byte[] out = new byte[size];
        int[] idx = new int[fields.size() * MessageHead.STRIDE];
        Object[] cache = new Object[fields.size()];
        System.arraycopy(startLine, 0, out, 0, startLine.length);
        int o = startLine.length;
        for (int i = 0; i < fields.size(); i++) {
            Entry e = fields.get(i);
            int k = i * MessageHead.STRIDE;
            idx[k] = e.id;
            idx[k + 1] = o;
            if (e.source != null) {
                WireMessage s = e.source;
                int ns = s.nameStart(e.field);
                int vs = s.valueStart(e.field);
                int ve = s.valueEnd(e.field);
                byte[] src = s.wire;
                if (s.ctx.saw(sip.message.Violation.BARE_LF)) {
                    o = copyCrlf(src, ns, vs, out, o);
                    idx[k + 2] = o;
                    o = copyCrlf(src, vs, ve, out, o);
                } else {
                    System.arraycopy(src, ns, out, o, ve - ns);
                    idx[k + 2] = o + (vs - ns);
                    o += ve - ns;
                }
                idx[k + 3] = o;
            } else {
                String n = e.name.canonical();
                for (int c = 0; c < n.length(); c++) {
                    out[o++] = (byte) n.charAt(c);
                }
                out[o++] = ':';
                out[o++] = ' ';
                idx[k + 2] = o;
                System.arraycopy(texts[i], 0, out, o, texts[i].length);
                o += texts[i].length;
                idx[k + 3] = o;
            }
            out[o++] = '\r';
            out[o++] = '\n';
            cache[i] = e.typed;
        }
        out[o++] = '\r';
        out[o++] = '\n';
        int bodyStart = o;
        System.arraycopy(body, 0, out, o, body.length);
        o += body.length;
        byte[] wire = o == out.length ? out : java.util.Arrays.copyOf(out, o);
        return new Written(wire, idx, fields.size(), bodyStart, body.length, cache);
    }

    private static boolean rawEqualsNumber(Entry e, int n) {
        WireMessage s = e.source;
        int vs = s.valueStart(e.field);
        int ve = s.valueEnd(e.field);
        String digits = Integer.toString(n);
        if (ve - vs != digits.length()) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (s.wire[vs + i] != digits.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** How many CRs must be added to turn bare-LF folds in a raw field into CRLF folds. */
    private static int extraCrs(Entry e) {
        WireMessage s = e.source;
        if (!s.ctx.saw(sip.message.Violation.BARE_LF)) {
            return 0;
        }
        int n = 0;
        int from = s.nameStart(e.field);
        int to = s.valueEnd(e.field);
        for (int i = from; i < to; i++) {
            if (s.wire[i] == '\n' && (i == 0 || s.wire[i - 1] != '\r')) {
                n++;
            }
        }
        return n;
    }

    private static int copyCrlf(byte[] src, int from, int to, byte[] out, int o) {
        for (int i = from; i < to; i++) {
            byte c = src[i];
            if (c == '\n' && (i == 0 || src[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = c;
        }
        return o;
    }
}
