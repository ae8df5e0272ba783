package sip.script.internal.js;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.graalvm.polyglot.HostAccess.Export;
import sip.message.Contact;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.message.Via;
import sip.transport.spi.Flow;

/**
 * The Java side of JS {@code req}: reads of the request as the script has edited it so far, and
 * the edits. Used by one worker at a time (the one running the request's handler).
 *
 * <p>Edits change what {@code sip.relay} forwards. Headers the proxy manages (Via, From, To,
 * Call-ID, CSeq, Max-Forwards, Content-Length) are refused: the methods return the message of
 * the TypeError the prelude throws (null on success), so a script mistake is a JS error, not a
 * host exception. Each edit is applied to a new request at once: a refused one leaves the
 * request exactly as it was before the call (the edits accepted before it stay).
 */
public final class JsRequest {

    private static final Set<String> REFUSED = Set.of("via", "from", "to", "call-id", "cseq", "max-forwards",
            "content-length");

    private final SipRequest received;
    private final Flow flow;
    private final boolean inDialog;
    private SipRequest current;

    public JsRequest(SipRequest received, Flow flow, boolean inDialog) {
        this.received = received;
        this.current = received;
        this.flow = flow;
        this.inDialog = inDialog;
    }

    /** The request with the script's edits applied. */
    public SipRequest current() {
        return current;
    }

    public SipRequest received() {
        return received;
    }

    @Export public String method() {
        return received.method().toString();
    }

    @Export public JsViews.JsUri uri() {
        return JsViews.uri(current().requestUri());
    }

    @Export public JsViews.JsNameAddr from() {
        return JsViews.nameAddr(received.from());
    }

    @Export public JsViews.JsNameAddr to() {
        return JsViews.nameAddr(received.to());
    }

    @Export public JsViews.JsNameAddr contact() {
        for (Contact c : current().all(HeaderType.CONTACT)) {
            if (!c.isWildcard()) {
                return JsViews.nameAddr(c.address());
            }
        }
        return null;
    }

    @Export public Object[] contacts() {
        return current().all(HeaderType.CONTACT).stream().filter(c -> !c.isWildcard())
                .map(c -> JsViews.nameAddr(c.address())).toArray();
    }

    @Export public JsViews.JsVia via() {
        return new JsViews.JsVia(received.topVia());
    }

    @Export public Object[] vias() {
        List<Via> all = received.all(HeaderType.VIA);
        return all.stream().map(JsViews.JsVia::new).toArray();
    }

    @Export public double cseqNumber() {
        return received.cseq().sequence();
    }

    @Export public String cseqMethod() {
        return received.cseq().method().toString();
    }

    @Export public String callId() {
        return received.callId();
    }

    @Export public int maxForwards() {
        return received.maxForwards().orElse(-1);
    }

    @Export public String body() {
        SipRequest r = current();
        return r.bodyLength() == 0 ? "" : new String(r.body(), StandardCharsets.UTF_8);
    }

    @Export public String contentType() {
        return current().contentType().map(Object::toString).orElse(null);
    }

    @Export public String sourceHost() {
        return flow.remote().getAddress() != null ? flow.remote().getAddress().getHostAddress() : flow.remote().getHostString();
    }

    @Export public int sourcePort() {
        return flow.remote().getPort();
    }

    @Export public String transport() {
        return flow.protocol().toLowerCase(Locale.ROOT);
    }

    @Export public boolean inDialog() {
        return inDialog;
    }

    @Export public String header(String name) {
        return firstValue(current(), name);
    }

    @Export public String[] headers(String name) {
        return allValues(current(), name);
    }

    @Export public String setHeader(String name, String value) {
        return put(name, value, false);
    }

    @Export public String addHeader(String name, String value) {
        return put(name, value, true);
    }

    /**
     * A value must pass the strict parser, not only the builder's lenient check: Parley must never
     * relay what its own strict parser (and a strict peer) refuses.
     */
    private String put(String name, String value, boolean add) {
        String refused = check(name, value);
        if (refused != null) {
            return refused;
        }
        String strict = StrictCheck.header(HeaderName.of(name), value);
        if (strict != null) {
            return "bad " + name + " value '" + value + "': " + strict;
        }
        try {
            SipRequest.Builder b = current.toBuilder();
            current = (add ? b.addHeader(name, value) : b.setHeader(name, value)).build();
            return null;
        } catch (RuntimeException e) {
            return "bad " + name + " value '" + value + "': " + e.getMessage();
        }
    }

    @Export public String removeHeader(String name) {
        String refused = check(name, "");
        if (refused != null) {
            return refused;
        }
        try {
            current = current.toBuilder().removeHeader(name).build();
            return null;
        } catch (RuntimeException e) {
            return "cannot remove " + name + ": " + e.getMessage();
        }
    }

    /**
     * A new Request-URI: any absolute URI ({@code sip:}, {@code sips:}, {@code tel:}, ...: RFC 3261
     * §19.1 allows them; a non-SIP one is routed by the request's Route or the relay target) that
     * passes the strict parser as a Request-URI, so without URI headers ({@code ?Subject=x}:
     * allowed in a URI, not in a Request-URI, RFC 3261 §19.1.5).
     */
    @Export public String setUri(String uri) {
        Uri parsed;
        try {
            parsed = Uri.parse(uri);
        } catch (RuntimeException e) {
            return "not a URI: '" + uri + "' (" + e.getMessage() + ")";
        }
        if (parsed instanceof SipUri s && !s.headers().isEmpty()) {
            return "a Request-URI must not carry URI headers (RFC 3261 §19.1.5): '" + uri + "'";
        }
        String strict = StrictCheck.requestUri(parsed);
        if (strict != null) {
            return "not a valid Request-URI: '" + uri + "' (" + strict + ")";
        }
        try {
            current = current.toBuilder().requestUri(parsed).build();
            return null;
        } catch (RuntimeException e) {
            return "not a valid Request-URI: '" + uri + "' (" + e.getMessage() + ")";
        }
    }

    /**
     * JS {@code req.toString()}: the request as received with the script's edits so far, in wire
     * form; not the relayed copy (the proxy decrements Max-Forwards and adds its Via and
     * Record-Route when relaying).
     */
    @Export public String text() {
        return current().toString();
    }

    private static String check(String name, String value) {
        HeaderName h;
        try {
            h = HeaderName.of(name);
        } catch (RuntimeException e) {
            return "not a header name: '" + name + "'";
        }
        if (REFUSED.contains(h.canonical().toLowerCase(Locale.ROOT))) {
            return "the " + h.canonical() + " header cannot be edited by a script (the proxy manages it)";
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            return "a header value must not contain CR or LF";
        }
        return null;
    }

    static String firstValue(SipMessage m, String name) {
        try {
            return m.header(HeaderName.of(name)).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String[] allValues(SipMessage m, String name) {
        try {
            return m.headerValues(HeaderName.of(name)).toArray(String[]::new);
        } catch (RuntimeException e) {
            return new String[0];
        }
    }
}
