package sip.script.testing;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.message.Uri;
import sip.message.Via;

/**
 * A request to {@link ScriptTester#send(SyntheticRequest) send} to a script, filled with
 * plausible defaults so a test states only what matters to it. Made by
 * {@link ScriptTester#register}, {@link ScriptTester#invite} or {@link ScriptTester#request};
 * each setter returns this builder. Not thread-safe (one test builds one request).
 *
 * <p>Defaults: From {@code sip:caller@client.test} with a random tag (for a REGISTER, the
 * address-of-record), To the Request-URI without a tag (for a REGISTER, the AoR, whose
 * Request-URI is then {@code sip:} plus the AoR's host and port), a random Call-ID, CSeq 1,
 * Max-Forwards 70, no Contact for a REGISTER (a query) and {@code sip:caller@192.0.2.10:5060}
 * for other requests, no body, arriving over UDP from {@code 192.0.2.10:5060} (TEST-NET-1:
 * nothing is ever sent there) with a matching top Via.
 */
public final class SyntheticRequest {
    private final Method method;
    private final Uri requestUri;
    private String from;
    private String to;
    private String toTag;
    private String callId = randomHex(12) + "@client.test";
    private long cseq = 1;
    private int maxForwards = 70;
    private final List<String> contacts = new ArrayList<>();
    private boolean contactsSet;
    private final List<String[]> headers = new ArrayList<>();
    private String contentType;
    private String body;
    private String transport = "udp";
    private InetSocketAddress source = address("192.0.2.10", 5060);

    SyntheticRequest(String method, String uri) {
        this.method = Method.of(method.toUpperCase(Locale.ROOT));
        Uri parsed = Uri.parse(uri);
        if (this.method.equals(Method.REGISTER) && parsed instanceof SipUri aor && aor.user() != null) {
            // A REGISTER's Request-URI names the registrar's domain, its To the AoR (RFC 3261 §10.2).
            this.requestUri = SipUri.of(null, aor.host(), aor.port()).withSecure(aor.secure());
            this.from = aor.toString();
            this.to = aor.toString();
            this.contacts.clear();
        } else {
            this.requestUri = parsed;
            this.from = "sip:caller@client.test";
            this.to = requestUri.toString();
            this.contacts.add("sip:caller@192.0.2.10:5060");
        }
    }

    /** The From URI or name-addr ({@code "Alice <sip:alice@example.test>"}); a tag is added when it has none. */
    public SyntheticRequest from(String nameAddr) {
        this.from = Objects.requireNonNull(nameAddr, "from");
        return this;
    }

    /** The To URI or name-addr. */
    public SyntheticRequest to(String nameAddr) {
        this.to = Objects.requireNonNull(nameAddr, "to");
        return this;
    }

    /** A To tag: the request then claims to belong to a dialog ({@code req.inDialog}). */
    public SyntheticRequest toTag(String tag) {
        this.toTag = Objects.requireNonNull(tag, "tag");
        return this;
    }

    /**
     * A Contact value ({@code "sip:alice@10.0.0.2:5060"}, {@code "<sip:a@h>;expires=60"} or
     * {@code "*"}); repeatable. The first call replaces the default contact.
     */
    public SyntheticRequest contact(String contact) {
        if (!contactsSet) {
            contacts.clear();
            contactsSet = true;
        }
        contacts.add(Objects.requireNonNull(contact, "contact"));
        return this;
    }

    /** Sends no Contact at all. */
    public SyntheticRequest noContact() {
        contacts.clear();
        contactsSet = true;
        return this;
    }

    /** The Expires header, in seconds (for a REGISTER: the expiry of contacts without their own). */
    public SyntheticRequest expires(long seconds) {
        return header("Expires", Long.toString(seconds));
    }

    public SyntheticRequest callId(String callId) {
        this.callId = Objects.requireNonNull(callId, "callId");
        return this;
    }

    public SyntheticRequest cseq(long sequence) {
        this.cseq = sequence;
        return this;
    }

    public SyntheticRequest maxForwards(int hops) {
        this.maxForwards = hops;
        return this;
    }

    /** Adds a header field (after those of the same name); repeatable. */
    public SyntheticRequest header(String name, String value) {
        headers.add(new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")});
        return this;
    }

    /** A body of type {@code contentType} ({@code "application/sdp"}). */
    public SyntheticRequest body(String contentType, String body) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /** Where the request comes from: {@code "10.0.0.2:5062"} (IPv6 in brackets). */
    public SyntheticRequest source(String hostPort) {
        this.source = parseHostPort(hostPort);
        return this;
    }

    /** The transport it arrives over: {@code udp}, {@code tcp}, {@code tls}, {@code ws}, {@code wss}. */
    public SyntheticRequest transport(String transport) {
        String t = transport.toLowerCase(Locale.ROOT);
        if (!List.of("udp", "tcp", "tls", "ws", "wss").contains(t)) {
            throw new IllegalArgumentException("transport is udp, tcp, tls, ws or wss: " + transport);
        }
        this.transport = t;
        return this;
    }

    String transport() {
        return transport;
    }

    InetSocketAddress source() {
        return source;
    }

    /** The request as the script will see it. */
    public SipRequest build() {
        SipRequest.Builder b = SipRequest.builder(method, requestUri);
        String host = source.getAddress() instanceof java.net.Inet6Address ? "[" + source.getHostString() + "]" : source.getHostString();
        b.via(Via.of(transport.toUpperCase(Locale.ROOT), host, source.getPort(),
                Via.MAGIC_COOKIE + randomHex(8)));
        b.setHeader("From", withTag(from, randomHex(4)));
        b.setHeader("To", toTag == null ? angle(to) : withTag(to, toTag));
        b.callId(callId);
        b.cseq(cseq);
        b.maxForwards(maxForwards);
        for (String c : contacts) {
            b.addHeader("Contact", c.equals("*") ? c : angle(c));
        }
        for (String[] h : headers) {
            b.addHeader(h[0], h[1]);
        }
        if (body != null) {
            String[] type = contentType.split("/", 2);
            if (type.length != 2) {
                throw new IllegalArgumentException("content type is type/subtype: " + contentType);
            }
            b.body(ContentType.of(type[0].strip(), type[1].strip()), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.build();
    }

    // A bare URI gets angle brackets so its own parameters stay the URI's, not the header's.
    private static String angle(String uriOrNameAddr) {
        return uriOrNameAddr.indexOf('<') >= 0 ? uriOrNameAddr : "<" + uriOrNameAddr + ">";
    }

    private static String withTag(String nameAddr, String tag) {
        String v = angle(nameAddr);
        return v.substring(v.lastIndexOf('>')).contains(";tag=") ? v : v + ";tag=" + tag;
    }

    private static InetSocketAddress parseHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1 || hostPort.endsWith("]")) {
            throw new IllegalArgumentException("source is host:port: " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("source is host:port: " + hostPort);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("source port must be 1..65535: " + hostPort);
        }
        return address(host, port);
    }

    // A name here must never cause a DNS lookup: an address literal becomes that address, a name
    // stays unresolved.
    static InetSocketAddress address(String host, int port) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return new InetSocketAddress(java.net.InetAddress.ofLiteral(literal), port);
        } catch (IllegalArgumentException name) {
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
