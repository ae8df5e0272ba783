package sip.script.internal.js;

import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.HostAccess.Export;
import sip.message.NameAddress;
import sip.message.Parameters;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.TelUri;
import sip.message.Uri;
import sip.message.Via;

/**
 * Read-only Java views the prelude wraps in JS classes ({@code SipUri}, {@code NameAddr},
 * {@code Via}, the response of a hook). Only {@link Export}ed methods are visible to scripts;
 * numbers that may be absent are -1 (the prelude turns them into null).
 */
public final class JsViews {

    private JsViews() {
    }

    static JsUri uri(Uri uri) {
        return uri == null ? null : new JsUri(uri);
    }

    static JsNameAddr nameAddr(NameAddress a) {
        return a == null ? null : new JsNameAddr(a);
    }

    static String[] flat(Parameters p) {
        String[] out = new String[p.size() * 2];
        for (int i = 0; i < p.size(); i++) {
            out[2 * i] = p.name(i);
            String v = p.valueAt(i);
            out[2 * i + 1] = v == null ? "" : v;
        }
        return out;
    }

    /** A Request-URI or a name-addr's URI. */
    public static final class JsUri {
        private final Uri uri;

        JsUri(Uri uri) {
            this.uri = uri;
        }

        @Export public String scheme() {
            return uri.scheme();
        }

        @Export public String user() {
            return switch (uri) {
                case SipUri s -> s.user();
                case TelUri t -> t.number();
                default -> null;
            };
        }

        @Export public String host() {
            return uri instanceof SipUri s ? s.host() : null;
        }

        @Export public int port() {
            return uri instanceof SipUri s ? s.portIfSet().orElse(-1) : -1;
        }

        @Export public String param(String name) {
            return uri instanceof SipUri s ? s.parameters().get(name).map(v -> v == null ? "" : v).orElse(null) : null;
        }

        @Export public String[] params() {
            return uri instanceof SipUri s ? flat(s.parameters()) : new String[0];
        }

        @Export public String text() {
            return uri.toString();
        }
    }

    /** A From, To or Contact value. */
    public static final class JsNameAddr {
        private final NameAddress a;

        JsNameAddr(NameAddress a) {
            this.a = a;
        }

        @Export public String displayName() {
            return a.displayName();
        }

        @Export public JsUri uri() {
            return new JsUri(a.uri());
        }

        @Export public String tag() {
            return a.tag();
        }

        @Export public String param(String name) {
            return a.parameters().get(name).map(v -> v == null ? "" : v).orElse(null);
        }

        @Export public String text() {
            return a.toString();
        }
    }

    /** A Via value. */
    public static final class JsVia {
        private final Via v;

        JsVia(Via v) {
            this.v = v;
        }

        @Export public String transport() {
            return v.transport().toLowerCase(java.util.Locale.ROOT);
        }

        @Export public String host() {
            return v.host();
        }

        @Export public int port() {
            return v.port() > 0 ? v.port() : -1;
        }

        @Export public String branch() {
            return v.branch();
        }

        @Export public String received() {
            return v.received();
        }

        @Export public int rport() {
            return v.rport().orElse(-1);
        }

        @Export public String param(String name) {
            return v.parameters().get(name).map(x -> x == null ? "" : x).orElse(null);
        }

        @Export public String text() {
            return v.toString();
        }
    }

    /** A branch's response, as {@code onResponse}/{@code onFailure} see it. */
    public static final class JsResponse {
        private final SipResponse r;

        JsResponse(SipResponse r) {
            this.r = r;
        }

        @Export public int status() {
            return r.statusCode();
        }

        @Export public String reason() {
            return r.status().reason();
        }

        @Export public String header(String name) {
            return JsRequest.firstValue(r, name);
        }

        @Export public String[] headers(String name) {
            return JsRequest.allValues(r, name);
        }

        @Export public String text() {
            return r.toString();
        }
    }

    static List<JsNameAddr> nameAddrs(List<NameAddress> all) {
        List<JsNameAddr> out = new ArrayList<>(all.size());
        for (NameAddress a : all) {
            out.add(new JsNameAddr(a));
        }
        return out;
    }
}
