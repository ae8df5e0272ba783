package sip.message.internal;

import static sip.message.internal.HeaderTable.VIA;
import static sip.message.internal.HeaderTable.FROM;
import static sip.message.internal.HeaderTable.TO;
import static sip.message.internal.HeaderTable.CALL_ID;
import static sip.message.internal.HeaderTable.CSEQ;
import static sip.message.internal.HeaderTable.MAX_FORWARDS;
import static sip.message.internal.HeaderTable.TIMESTAMP;
import static sip.message.internal.HeaderTable.RECORD_ROUTE;
import static sip.message.internal.HeaderTable.CONTENT_LENGTH;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import sip.message.CSeq;
import sip.message.ComplianceListener;
import sip.message.ContentType;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.Uri;

/** Entry points of the message builders, the builder implementations, and the serialiser. */
public final class Builders {
    private Builders() {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NO_BODY = new byte[0];
    private static final byte[] SIP_2_0_CRLF = " SIP/2.0\r\n".getBytes(StandardCharsets.ISO_8859_1);


    /** A To/From tag: 64 bits from a CSPRNG (RFC 3261 §19.3 asks for at least 32). */
    public static String newTag() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static SipRequest.Builder request(Method method, Uri uri) {
        return new RequestBuilder(Objects.requireNonNull(method, "method"), Objects.requireNonNull(uri, "uri"),
            new ArrayList<>(), null);
    }

    public static SipResponse.Builder response(Status status) {
        return new ResponseBuilder(Objects.requireNonNull(status, "status"), new ArrayList<>(), null);
    }

    /** RFC 3261 §8.2.6 / §12.1.1. */
    public static SipResponse.Builder response(SipRequest request, Status status) {
        WireRequest req = (WireRequest) request;
        List<Entry> entries = new ArrayList<>();
        int code = status.code();
        Method m = request.method();
        boolean dialogCreating = code > 100 && code < 300 && (m.equals(Method.INVITE)
            || m.equals(Method.SUBSCRIBE) || m.equals(Method.REFER) || m.equals(Method.NOTIFY));
        // One From, To, Call-ID and CSeq even when a broken request repeats them (RFC 4475
        // multi01 is answered 400 from its first values).
        boolean from = false;
        boolean toSeen = false;
        boolean callId = false;
        boolean cseq = false;
        for (int i = 0; i < req.count; i++) {
            int id = req.fieldId(i);
            if ((id == FROM && from) || (id == TO && toSeen) || (id == CALL_ID && callId) || (id == CSEQ && cseq)) {
                continue;
            }
            from |= id == FROM;
            callId |= id == CALL_ID;
            cseq |= id == CSEQ;
            if (id == VIA || id == FROM || id == CALL_ID || id == CSEQ
                || (id == RECORD_ROUTE && dialogCreating) || (id == TIMESTAMP && code == 100)) {
                entries.add(Entry.raw(req, i));
            } else if (id == TO) {
                toSeen = true;
                Entry to = Entry.raw(req, i);
                if (code != 100) {
                    NameAddress value = parsedOrNull(request);
                    if (value != null && value.tag() == null) {
                        // The same tag for every response to this request (§8.2.6.2).
                        to = Entry.typed(HeaderType.TO, value.withTag(req.localTag()));
                    }
                }
                entries.add(to);
            }
        }
        return new ResponseBuilder(status, entries, req);
    }

    /**
     * The request's To, or null when it does not parse: the 400 answering a request whose To is
     * broken (RFC 4475 quotbal) copies the field as it came, since no tag can be added to it.
     */
    private static NameAddress parsedOrNull(SipRequest request) {
        try {
            return request.to();
        } catch (sip.message.SipParseException e) {
            try {
                // Several To fields (multi01): the first one, if it parses on its own.
                return HeaderType.TO.parse(request.headerValues(sip.message.StandardHeader.TO).getFirst()).getFirst();
            } catch (RuntimeException again) {
                return null;
            }
        }
    }

    static RequestBuilder copy(WireRequest r) {
        return new RequestBuilder(r.method(), null, copyEntries(r), r);
    }

    static ResponseBuilder copy(WireResponse r) {
        ResponseBuilder b = new ResponseBuilder(r.status(), copyEntries(r), r);
        b.bodySource = r;
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
        private HeaderName name;  // computed on demand for raw extension fields
        final int id;
        final WireMessage source; // raw span holder, or null
        final int field;          // index in source
        final String value;       // new value text, or null for raw
        final List<?> typed;      // parsed values when known, or null

        private Entry(HeaderName name, int id, WireMessage source, int field, String value, List<?> typed) {
            this.name = name;
            this.id = id;
            this.source = source;
            this.field = field;
            this.value = value;
            this.typed = typed;
        }

        HeaderName name() {
            HeaderName n = name;
            if (n == null) {
                n = source.fieldName(field);
                name = n;
            }
            return n;
        }

        static Entry raw(WireMessage m, int i) {
            Object[] c = m.cacheSnapshot();
            Object t = c == null ? null : c[i];
            int id = m.fieldId(i);
            List<?> typed = t instanceof List<?> l ? l
                : t != null && !(t instanceof sip.message.ParseError) ? List.of(t) : null;
            return new Entry(id >= 0 ? HeaderTable.VALUES[id] : null, id, m, i, null, typed);
        }

        /**
         * A typed value, checked by parsing its wire form back: a record built with odd fields
         * (a Via host holding ", SIP/2.0/UDP x", a Call-ID with spaces, Max-Forwards -1) could
         * otherwise write a message that parses differently or not at all.
         */
        static <T> Entry typed(HeaderType<T> type, T value) {
            Objects.requireNonNull(value, "value");
            String text = type.format(value);
            List<?> typed = trusted(type, value) ? List.of(value) : checked(type, text, 1);
            return new Entry(type.name(), WireMessage.idOf(type.name()), null, -1, text, typed);
        }

        /**
         * True for values whose record already guarantees a well-formed wire form (Via's
         * constructor checks every field's characters, CSeq its range and method token), or a
         * number in range; these skip the parse-back, which matters on a proxy's forward path.
         */
        private static boolean trusted(HeaderType<?> type, Object value) {
            if (type == HeaderType.VIA || type == HeaderType.CSEQ) {
                return true;
            }
            if (type == HeaderType.MAX_FORWARDS) {
                int v = (Integer) value;
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("Max-Forwards must be 0..255: " + v);
                }
                return true;
            }
            if (type == HeaderType.CONTENT_LENGTH) {
                if ((Integer) value < 0) {
                    throw new IllegalArgumentException("Content-Length must not be negative: " + value);
                }
                return true;
            }
            if (type == HeaderType.EXPIRES || type == HeaderType.MIN_EXPIRES) {
                long v = (Long) value;
                if (v < 0 || v > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException(type.name().canonical() + " must be 0..4294967295: " + v);
                }
                return true;
            }
            return false;
        }

        static <T> Entry typedList(HeaderType<T> type, List<T> values) {
            StringBuilder sb = new StringBuilder();
            for (T v : values) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(type.format(v));
            }
            String text = sb.toString();
            return new Entry(type.name(), WireMessage.idOf(type.name()), null, -1, text,
                checked(type, text, values.size()));
        }

        /** A raw value; checked by its parser when the header has a typed view. */
        static Entry text(HeaderName name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String v = Grammar.requireText(name.canonical() + " value", value).strip();
            int id = WireMessage.idOf(name);
            List<?> typed = null;
            if (id >= 0 && WireMessage.TYPED[id] != null) {
                typed = checkedList(WireMessage.TYPED[id], v);
            }
            return new Entry(name, id, null, -1, v, typed);
        }

        private static <T> List<T> checked(HeaderType<T> type, String text, int expected) {
            List<T> parsed = checkedList(type, text);
            if (parsed.size() != expected) {
                throw new IllegalArgumentException(type.name().canonical() + " value reads back as "
                    + parsed.size() + " values, not " + expected + ": \"" + text + "\"");
            }
            return parsed;
        }

        private static <T> List<T> checkedList(HeaderType<T> type, String text) {
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(type.name().canonical()
                    + " value must not contain CR or LF (header injection): \""
                    + text.replace("\r", "\\r").replace("\n", "\\n") + "\"");
            }
            try {
                return type.parse(text);
            } catch (SipParseException e) {
                throw new IllegalArgumentException("not a valid " + type.name().canonical() + " value ("
                    + e.error().reason() + "): \"" + text + "\"", e);
            }
        }

        boolean is(HeaderName n) {
            int nid = WireMessage.idOf(n);
            if (nid >= 0 || id >= 0) {
                return nid == id;
            }
            return source != null ? source.matches(field, n, -1) : n.equals(name);
        }
    }

    // ------------------------------------------------------------------ builders

    /** What both builders share: the field list and the body. */
    abstract static class Base<B> {
        final List<Entry> entries;
        /** Where untouched fields come from, or null for a new message. */
        final WireMessage original;
        byte[] body;            // a new body, or null
        WireMessage bodySource; // keep this message's body when body is null

        Base(List<Entry> entries, WireMessage original) {
            this.entries = entries;
            this.original = original;
        }

        abstract B self();

        public B addHeader(HeaderName name, String value) {
            return insert(Entry.text(name, value), name);
        }

        public B setHeader(HeaderName name, String value) {
            return replace(name, Entry.text(name, value));
        }

        public B removeHeader(HeaderName name) {
            Objects.requireNonNull(name, "name");
            entries.removeIf(e -> e.is(name));
            return self();
        }

        public <T> B add(HeaderType<T> type, T value) {
            return insert(Entry.typed(type, value), type.name());
        }

        /** After the last field of the name, or at the end; a single header is replaced instead. */
        private B insert(Entry e, HeaderName name) {
            if (name.isSingle()) {
                return replace(name, e);
            }
            int last = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).is(name)) {
                    last = i;
                }
            }
            entries.add(last < 0 ? entries.size() : last + 1, e);
            return self();
        }

        public <T> B addFirst(HeaderType<T> type, T value) {
            Entry e = Entry.typed(type, value);
            if (type.name().isSingle()) {
                return replace(type.name(), e);
            }
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

        public B body(ContentType type, byte[] content) {
            Objects.requireNonNull(type, "type");
            this.body = content.clone();
            this.bodySource = null;
            return set(HeaderType.CONTENT_TYPE, type);
        }

        public B noBody() {
            this.body = NO_BODY;
            this.bodySource = null;
            return removeHeader(StandardHeader.CONTENT_TYPE);
        }

        boolean has(int id) {
            return find(id) != null;
        }

        Entry find(int id) {
            for (Entry e : entries) {
                if (e.id == id) {
                    return e;
                }
            }
            return null;
        }

        /** A new message's context: the original's profile, nobody listening to old news. */
        ParseContext context() {
            return original == null ? ParseContext.lenient()
                : new ParseContext(original.ctx.compliance(), ComplianceListener.NONE);
        }

        Written write(byte[] startLine) {
            if (body != null) {
                return Builders.write(startLine, entries, body, 0, body.length);
            }
            if (bodySource != null) {
                return Builders.write(startLine, entries, bodySource.wire, bodySource.bodyStart, bodySource.bodyLength);
            }
            return Builders.write(startLine, entries, NO_BODY, 0, 0);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> valuesOf(Entry e, HeaderType<T> type) {
        if (e.typed != null) {
            return (List<T>) e.typed;
        }
        if (e.source != null) {
            return e.source.typed(e.field, (TypedHeader<T>) type);
        }
        return type.parse(e.value);
    }

    static final class RequestBuilder extends Base<SipRequest.Builder> implements SipRequest.Builder {
        private Method method;
        private Uri uri; // null: the original's Request-URI bytes

        RequestBuilder(Method method, Uri uri, List<Entry> entries, WireRequest original) {
            super(entries, original);
            this.method = method;
            this.uri = uri;
            this.bodySource = original;
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
            WireRequest orig = (WireRequest) original;
            byte[] m = method.name().getBytes(StandardCharsets.ISO_8859_1);
            byte[] u = uri != null ? uri.toString().getBytes(StandardCharsets.UTF_8) : null;
            int uriLength = u != null ? u.length : orig.uriEnd() - orig.uriStart();
            byte[] startLine = new byte[m.length + 1 + uriLength + SIP_2_0_CRLF.length];
            System.arraycopy(m, 0, startLine, 0, m.length);
            startLine[m.length] = ' ';
            if (u != null) {
                for (byte c : u) {
                    if ((c & 0xFF) <= ' ' || c == 0x7F) {
                        throw new IllegalArgumentException("Request-URI must not hold whitespace or controls: " + uri);
                    }
                }
                System.arraycopy(u, 0, startLine, m.length + 1, u.length);
            } else {
                System.arraycopy(orig.wire, orig.uriStart(), startLine, m.length + 1, uriLength);
            }
            System.arraycopy(SIP_2_0_CRLF, 0, startLine, m.length + 1 + uriLength, SIP_2_0_CRLF.length);
            Written w = write(startLine);
            Object cachedUri = uri != null ? uri : orig.cachedUri();
            return new WireRequest(w.wire, 0, method, m.length, m.length + 1, m.length + 1 + uriLength,
                w.idx, w.count, w.bodyStart, w.bodyLength, context(), true, w.cache,
                cachedUri instanceof Uri parsed ? parsed : null);
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
            CSeq value = valuesOf(find(CSEQ), HeaderType.CSEQ).get(0);
            if (!value.method().equals(method)) {
                throw new IllegalStateException("CSeq method " + value.method() + " does not match the request method "
                    + method + " (RFC 3261 §8.1.1.5)");
            }
            if (original == null && !has(MAX_FORWARDS)) {
                entries.add(Entry.typed(HeaderType.MAX_FORWARDS, 70));
            }
        }
    }

    static final class ResponseBuilder extends Base<SipResponse.Builder> implements SipResponse.Builder {
        private Status status;

        ResponseBuilder(Status status, List<Entry> entries, WireMessage original) {
            super(entries, original);
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
            Entry to = find(TO);
            if (to == null) {
                throw new IllegalStateException("no To header to tag");
            }
            NameAddress value = valuesOf(to, HeaderType.TO).get(0);
            return set(HeaderType.TO, value.withTag(tag));
        }

        @Override
        public SipResponse build() {
            byte[] startLine = ("SIP/2.0 " + status.code() + " " + status.reason() + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
            Written w = write(startLine);
            return new WireResponse(w.wire, 0, status.code(), 12, startLine.length - 2, w.idx, w.count,
                w.bodyStart, w.bodyLength, context(), true, w.cache, status);
        }
    }

    // ------------------------------------------------------------------ serialisation

    /** The result of writing a message: bytes plus the index of what was written. */
    record Written(byte[] wire, int[] idx, int count, int bodyStart, int bodyLength, Object[] cache) {}

    /**
     * Writes start line, fields and body into one exact-size array; untouched fields are copied
     * byte for byte (line ends normalised to CRLF); Content-Length always equals the body length.
     */
    static Written write(byte[] startLine, List<Entry> entries, byte[] bodySrc, int bodyOff, int bodyLength) {
        // Content-Length: keep an original field that is already right, else write a new one.
        Entry[] fields = new Entry[entries.size() + 1];
        int n = 0;
        boolean clWritten = false;
        for (Entry e : entries) {
            if (e.id == CONTENT_LENGTH) {
                if (clWritten) {
                    continue;
                }
                clWritten = true;
                fields[n++] = e.source != null && rawEqualsNumber(e, bodyLength)
                    ? e : Entry.typed(HeaderType.CONTENT_LENGTH, bodyLength);
            } else {
                fields[n++] = e;
            }
        }
        if (!clWritten) {
            fields[n++] = Entry.typed(HeaderType.CONTENT_LENGTH, bodyLength);
        }
        int size = startLine.length + 2 + bodyLength;
        byte[][] texts = new byte[n][];
        for (int i = 0; i < n; i++) {
            Entry e = fields[i];
            if (e.source != null) {
                size += e.source.valueEnd(e.field) - e.source.nameStart(e.field) + 2 + extraCrs(e);
            } else {
                texts[i] = e.value.getBytes(StandardCharsets.UTF_8);
                size += e.name().canonical().length() + 2 + texts[i].length + 2;
            }
        }
        byte[] out = new byte[size];
        int[] idx = new int[n * MessageHead.STRIDE];
        Object[] cache = new Object[n];
        System.arraycopy(startLine, 0, out, 0, startLine.length);
        int o = startLine.length;
        WireMessage lastSource = null;
        boolean lastBareLf = false;
        for (int i = 0; i < n; i++) {
            Entry e = fields[i];
            int k = i * MessageHead.STRIDE;
            if (o > MessageHead.MAX_OFFSET) {
                throw new IllegalStateException("header section larger than 16 MiB");
            }
            idx[k] = MessageHead.pack(e.id, o);
            if (e.source != null) {
                WireMessage s = e.source;
                int ns = s.nameStart(e.field);
                int vs = s.valueStart(e.field);
                int ve = s.valueEnd(e.field);
                if (s != lastSource) {
                    lastSource = s;
                    lastBareLf = s.ctx.saw(sip.message.Violation.BARE_LF);
                }
                if (lastBareLf) {
                    o = copyCrlf(s.wire, ns, vs, out, o);
                    idx[k + 1] = o;
                    o = copyCrlf(s.wire, vs, ve, out, o);
                } else {
                    System.arraycopy(s.wire, ns, out, o, ve - ns);
                    idx[k + 1] = o + (vs - ns);
                    o += ve - ns;
                }
                idx[k + 2] = o;
            } else {
                String name = e.name().canonical();
                for (int c = 0; c < name.length(); c++) {
                    out[o++] = (byte) name.charAt(c);
                }
                out[o++] = ':';
                out[o++] = ' ';
                idx[k + 1] = o;
                System.arraycopy(texts[i], 0, out, o, texts[i].length);
                o += texts[i].length;
                idx[k + 2] = o;
            }
            out[o++] = '\r';
            out[o++] = '\n';
            cache[i] = e.typed;
        }
        out[o++] = '\r';
        out[o++] = '\n';
        int bodyStart = o;
        System.arraycopy(bodySrc, bodyOff, out, o, bodyLength);
        return new Written(out, idx, n, bodyStart, bodyLength, cache);
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
        for (int i = s.nameStart(e.field); i < s.valueEnd(e.field); i++) {
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
