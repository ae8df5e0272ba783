package sip.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import sip.message.AbsoluteUri;
import sip.message.AuthValue;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.Event;
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.Parameters;
import sip.message.Reason;
import sip.message.RetryAfter;
import sip.message.SipDate;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Status;
import sip.message.SubscriptionState;
import sip.message.TelUri;
import sip.message.Uri;
import sip.message.Via;
import sip.message.Warning;

/**
 * Seeded generators of valid SIP values for property-based and fuzz tests, whatever library
 * drives them: draw URIs, header values, whole messages or their wire bytes from one source of
 * randomness.
 *
 * <pre>{@code
 * SipGenerators gen = SipGenerators.withSeed(42);
 * SipRequest request = gen.request();
 * byte[] wire = gen.requestBytes();          // folded lines, compact names, ... still valid
 * Via via = gen.via();
 * }</pre>
 *
 * <p><b>Determinism.</b> Every value depends only on the values the {@link RandomGenerator} yields,
 * so {@link #withSeed(long)} gives the same sequence of values for the same seed on every run
 * and JDK. To let a coverage-guided fuzzer steer the generators, pass a {@link RandomGenerator}
 * that reads the fuzzer's bytes: the generators only call {@link RandomGenerator#nextInt(int)},
 * {@link RandomGenerator#nextInt(int, int)} and {@link RandomGenerator#nextBoolean()}, each of
 * which may return any legal value (for instance the lowest, once the fuzzer's data runs out).
 *
 * <p><b>Validity.</b> Every value is valid per RFC 3261 (and RFC 3966 for {@code tel:}, RFC 5118
 * for IPv6) and is meant to parse under {@link sip.message.Compliance#STRICT}. Values lean on
 * odd-but-legal forms: escaped characters in URI user parts and parameters, IPv6 references,
 * quoted display names with escaped quotes and backslashes, {@code word} characters in Call-IDs,
 * extension methods and headers, UTF-8 text, empty reason phrases and binary bodies. The message
 * generators use the public builders only; {@link #requestBytes()} and {@link #wireForm} add what
 * builders cannot make: folded lines, compact and odd-case header names, whitespace around the
 * colon, and list headers joined on one line or split over several.
 *
 * <p>Instances are not thread-safe (they share their {@link RandomGenerator}); use one per
 * thread.
 */
public final class SipGenerators {

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String DIGITS = "0123456789";
    private static final String HEX = "0123456789abcdef";
    /** RFC 3261 token characters other than alphanumerics. */
    private static final String TOKEN_MARKS = "-.!%*_+`'~";
    /** RFC 3261 word characters beyond token: allowed in Call-ID. */
    private static final String WORD_EXTRA = "()<>:\\\"/[]?{}";
    /** Characters a user part may hold; the URI formatter escapes the ones that need it. */
    private static final String USER_ODD = "-_.!~*'()&=+$,;?/ %@:<>\"#é";
    private static final String[] TRANSPORTS = {"UDP", "TCP", "TLS", "SCTP", "WS", "WSS"};
    private static final String[] URI_TRANSPORTS = {"udp", "tcp", "tls", "sctp", "ws", "wss"};
    private static final Method[] METHODS = {
        Method.INVITE, Method.ACK, Method.BYE, Method.CANCEL, Method.OPTIONS, Method.REGISTER,
        Method.PRACK, Method.SUBSCRIBE, Method.NOTIFY, Method.PUBLISH, Method.INFO, Method.REFER,
        Method.MESSAGE, Method.UPDATE
    };
    private static final String[] WORDS = {
        "alice", "bob", "carol", "proxy", "gateway", "atlanta", "biloxi", "chicago", "pc33", "ua",
        "voicemail", "conf", "edge", "registrar", "zoë", "日本"
    };
    private static final DateTimeFormatter RFC1123_GMT =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final RandomGenerator random;

    /**
     * Generators drawing from {@code random}.
     *
     * @param random the source of every choice; the generators never reseed or share it
     */
    public SipGenerators(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Generators with a fixed seed: the same seed gives the same values, run after run.
     *
     * @param seed the seed
     * @return new generators backed by a {@link SplittableRandom} of that seed
     */
    public static SipGenerators withSeed(long seed) {
        return new SipGenerators(new SplittableRandom(seed));
    }

    // ---------------------------------------------------------------- primitives

    private int below(int bound) {
        return random.nextInt(bound);
    }

    private int between(int lo, int hiInclusive) {
        return random.nextInt(lo, hiInclusive + 1);
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private boolean coin() {
        return random.nextBoolean();
    }

    private <T> T pick(T[] values) {
        return values[below(values.length)];
    }

    private char pick(String chars) {
        return chars.charAt(below(chars.length()));
    }

    private String chars(String alphabet, int min, int max) {
        int n = between(min, max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(pick(alphabet));
        }
        return sb.toString();
    }

    /**
     * An RFC 3261 token: 1 to 12 characters, mostly alphanumeric, sometimes with the marks
     * {@code -.!%*_+`'~}.
     *
     * @return a token
     */
    public String token() {
        String alphabet = chance(30) ? ALNUM + TOKEN_MARKS : ALNUM + "-.";
        return chars(alphabet, 1, 12);
    }

    private String lowerToken() {
        return chars(LOWER_ALNUM, 1, 10);
    }

    private String word() {
        return WORDS[below(WORDS.length - 2)];
    }

    // ---------------------------------------------------------------- hosts

    /**
     * A host: a domain name (sometimes fully qualified with a trailing dot), an IPv4 address,
     * or an IPv6 reference in brackets (full, compressed, or with an embedded IPv4 address).
     *
     * @return a host as a SIP URI or Via carries it
     */
    public String host() {
        int k = below(10);
        if (k < 5) {
            return hostname();
        }
        if (k < 7) {
            return ipv4();
        }
        return "[" + ipv6() + "]";
    }

    private String hostname() {
        StringBuilder sb = new StringBuilder();
        int labels = between(0, 3);
        for (int i = 0; i < labels; i++) {
            sb.append(domainLabel()).append('.');
        }
        // toplabel starts with a letter (RFC 3261 §25.1).
        sb.append(pick("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        if (coin()) {
            sb.append(chars(ALNUM + "-", 0, 6)).append(pick(ALNUM));
        }
        if (chance(5)) {
            sb.append('.');
        }
        return sb.toString();
    }

    private String domainLabel() {
        if (chance(20)) {
            return word();
        }
        StringBuilder sb = new StringBuilder().append(pick(ALNUM));
        if (coin()) {
            sb.append(chars(ALNUM + "-", 0, 8)).append(pick(ALNUM));
        }
        return sb.toString();
    }

    private String ipv4() {
        return below(256) + "." + below(256) + "." + below(256) + "." + below(256);
    }

    private String hex16() {
        String h = Integer.toHexString(below(0x10000));
        return chance(20) ? h.toUpperCase(Locale.ROOT) : h;
    }

    /** An IPv6 address without brackets (RFC 4291 §2.2 text forms, no ":::"). */
    private String ipv6() {
        boolean v4Tail = chance(20);
        int groups = v4Tail ? 6 : 8;
        String[] g = new String[groups];
        for (int i = 0; i < groups; i++) {
            g[i] = hex16();
        }
        String tail = v4Tail ? ipv4() : null;
        if (coin()) {
            // Full form.
            String s = String.join(":", g);
            return tail == null ? s : s + ":" + tail;
        }
        // Compressed form: drop a run of groups [from, from + len) and write "::".
        int len = between(1, groups);
        int from = between(0, groups - len);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < from; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(g[i]);
        }
        sb.append("::");
        for (int i = from + len; i < groups; i++) {
            sb.append(g[i]);
            if (i < groups - 1) {
                sb.append(':');
            }
        }
        if (tail != null) {
            if (from + len < groups) {
                sb.append(':');
            }
            sb.append(tail);
        }
        return sb.toString();
    }

    private int port() {
        return switch (below(4)) {
            case 0 -> 5060;
            case 1 -> 5061;
            case 2 -> below(65536);
            default -> between(1024, 65535);
        };
    }

    // ---------------------------------------------------------------- URIs

    /**
     * A {@code sip:} or {@code sips:} URI with, at random, a user part holding characters that
     * must be escaped, a password, an IPv6 host, a port, URI parameters (transport, lr, maddr,
     * ttl, method, extension flags and values needing escapes) and URI headers.
     *
     * @return a SIP URI
     */
    public SipUri sipUri() {
        SipUri u = sipUriWithoutHeaders();
        if (chance(15)) {
            Parameters h = Parameters.EMPTY;
            int n = between(1, 2);
            for (int i = 0; i < n; i++) {
                h = h.with(pick(new String[] {"Subject", "Priority", "Call-Info", "X-" + lowerToken()}),
                    chance(30) ? "odd value & more=" + word() : lowerToken());
            }
            u = u.withHeaders(h);
        }
        return u;
    }

    /** A SIP URI that may appear in a Request-URI (RFC 3261 §19.1.5: no URI headers there). */
    private SipUri sipUriWithoutHeaders() {
        String user = null;
        String password = null;
        if (chance(75)) {
            user = user();
            if (chance(8)) {
                password = chars(ALNUM + "&=+$,-_.!~*'()", 1, 8) + (coin() ? "%" : "");
            }
        }
        SipUri u = new SipUri(chance(20), user, password, host(), chance(40) ? port() : -1,
            Parameters.EMPTY, Parameters.EMPTY);
        int params = chance(50) ? between(1, 4) : 0;
        for (int i = 0; i < params; i++) {
            u = switch (below(7)) {
                case 0 -> u.withParameter("transport", pick(URI_TRANSPORTS));
                case 1 -> u.withParameter("lr", null);
                case 2 -> u.withParameter("maddr", coin() ? ipv4() : hostname());
                case 3 -> u.withParameter("ttl", Integer.toString(below(256)));
                case 4 -> u.withParameter("method", pick(METHODS).name());
                case 5 -> u.withParameter("x" + lowerToken(), null);
                default -> u.withParameter("x-" + lowerToken(),
                    chance(30) ? "a b%c\"d" + word() : lowerToken());
            };
        }
        return u;
    }

    private String user() {
        if (chance(15)) {
            // telephone-subscriber style user.
            return "+" + chars(DIGITS, 4, 12);
        }
        String alphabet = chance(25) ? ALNUM + USER_ODD : ALNUM + "-_.";
        return chars(alphabet, 1, 14);
    }

    /**
     * A {@code tel:} URI (RFC 3966): a global number with visual separators, or a local number
     * with its mandatory phone-context; sometimes ext, isub or extension parameters.
     *
     * @return a tel URI
     */
    public TelUri telUri() {
        Parameters p = Parameters.EMPTY;
        String number;
        if (chance(60)) {
            number = "+" + pick(DIGITS) + chars(DIGITS + "-.()", 0, 12) + pick(DIGITS);
        } else {
            number = chars(DIGITS + "-.", 0, 8) + pick(DIGITS);
            p = p.with("phone-context", coin() ? hostname().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")
                : "+" + chars(DIGITS, 1, 6));
        }
        if (chance(25)) {
            p = p.with("ext", chars(DIGITS, 1, 5));
        }
        if (chance(10)) {
            p = p.with("isub", chars(LOWER_ALNUM, 1, 6));
        }
        if (chance(15)) {
            p = p.with("x-" + lowerToken(), coin() ? null : lowerToken());
        }
        return new TelUri(number, p);
    }

    /**
     * A URI as a name-addr may carry it: mostly {@code sip:}/{@code sips:}, sometimes
     * {@code tel:}, rarely another absolute URI ({@code mailto:}, {@code http:}, {@code urn:}).
     *
     * @return a URI
     */
    public Uri uri() {
        int k = below(20);
        if (k < 14) {
            return sipUri();
        }
        if (k < 19) {
            return telUri();
        }
        return switch (below(3)) {
            case 0 -> new AbsoluteUri("mailto", lowerToken() + "@" + hostname().toLowerCase(Locale.ROOT));
            case 1 -> new AbsoluteUri("http", "//" + hostname().toLowerCase(Locale.ROOT) + "/" + lowerToken());
            default -> new AbsoluteUri("urn", "uuid:" + uuid());
        };
    }

    private String uuid() {
        return chars(HEX, 8, 8) + "-" + chars(HEX, 4, 4) + "-" + chars(HEX, 4, 4) + "-"
            + chars(HEX, 4, 4) + "-" + chars(HEX, 12, 12);
    }

    /** A URI for a Request-URI: sip/sips without URI headers, or tel. */
    private Uri requestUri() {
        return chance(85) ? sipUriWithoutHeaders() : telUri();
    }

    // ---------------------------------------------------------------- header values

    /**
     * A request method: mostly the RFC 3261 methods and common extensions, sometimes an
     * extension token such as {@code !interesting-Method0123456789_*+`.%indeed'~}.
     *
     * @return a method
     */
    public Method method() {
        if (chance(15)) {
            return Method.of(chance(30) ? "!interesting-" + token() + "_*+`.%indeed'~" : token().toUpperCase(Locale.ROOT));
        }
        return pick(METHODS);
    }

    /**
     * A Via value: SIP/2.0 over a standard or extension transport, a host (IPv6 too) with or
     * without port, a branch with the RFC 3261 magic cookie, and sometimes rport (with or without
     * value), received (IPv4 or unbracketed IPv6), maddr, ttl or extension parameters.
     *
     * @return a Via value
     */
    public Via via() {
        String transport = chance(90) ? pick(TRANSPORTS) : token().toUpperCase(Locale.ROOT);
        Via v = Via.of(transport, host(), chance(60) ? port() : -1, branch());
        int extra = chance(50) ? between(1, 3) : 0;
        for (int i = 0; i < extra; i++) {
            v = switch (below(6)) {
                case 0 -> v.withParameter("rport", null);
                case 1 -> v.withRport(port());
                case 2 -> v.withReceived(coin() ? ipv4() : ipv6());
                case 3 -> v.withParameter("maddr", ipv4());
                case 4 -> v.withParameter("ttl", Integer.toString(below(256)));
                default -> v.withParameter("x-" + lowerToken(), coin() ? null : token());
            };
        }
        return v;
    }

    private String branch() {
        return Via.MAGIC_COOKIE + chars(ALNUM, 1, 16) + (chance(20) ? "." + chars(ALNUM + TOKEN_MARKS, 1, 6) : "");
    }

    /**
     * A display name: words, spaces, UTF-8 text, escaped quotes and backslashes, rarely empty.
     *
     * @return a display name to be written as a quoted string
     */
    public String displayName() {
        if (chance(3)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int words = between(1, 3);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            int k = below(10);
            if (k < 6) {
                String w = word();
                sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            } else if (k < 8) {
                sb.append(chars(ALNUM + "!#$%&'*+-./:;=?@[]^_`{|}~<>,", 1, 6));
            } else {
                // Characters that need quoted-pair escapes in the wire form.
                sb.append(pick(new String[] {"\"Q\"", "back\\slash", "\\\"", "J.\"R\".", "Zoë", "日本語"}));
            }
        }
        return sb.toString();
    }

    /**
     * A name-addr: an optional display name, a URI (see {@link #uri()}) and sometimes header
     * parameters (tokens, flags, quoted values).
     *
     * @return a name-addr
     */
    public NameAddress nameAddress() {
        NameAddress na = new NameAddress(chance(50) ? displayName() : null, uri(), Parameters.EMPTY);
        return withGenericParams(na, chance(25) ? between(1, 2) : 0);
    }

    private NameAddress withGenericParams(NameAddress na, int n) {
        for (int i = 0; i < n; i++) {
            na = switch (below(3)) {
                case 0 -> na.withParameter("x" + lowerToken(), null);
                case 1 -> na.withParameter("x-" + lowerToken(), token());
                default -> na.withParameter("x-" + lowerToken(), "quoted \"value\" " + word());
            };
        }
        return na;
    }

    private NameAddress fromTo(boolean tag) {
        NameAddress na = new NameAddress(chance(60) ? displayName() : null,
            chance(85) ? sipUri() : telUri(), Parameters.EMPTY);
        if (tag) {
            na = na.withTag(tag());
        }
        return withGenericParams(na, chance(15) ? 1 : 0);
    }

    private String tag() {
        return chars(ALNUM + (chance(20) ? TOKEN_MARKS : ""), 4, 16);
    }

    private NameAddress routeAddress() {
        SipUri u = SipUri.of(null, host(), chance(50) ? port() : -1).withParameter("lr", null);
        if (chance(30)) {
            u = u.withParameter("transport", pick(URI_TRANSPORTS));
        }
        if (chance(20)) {
            u = u.withSecure(true);
        }
        return NameAddress.of(u);
    }

    /**
     * A Contact value: a name-addr with, at random, expires, q, +sip.instance and extension
     * parameters. Never the wildcard (see {@link Contact#WILDCARD}, valid only in REGISTER).
     *
     * @return a contact
     */
    public Contact contact() {
        NameAddress na = new NameAddress(chance(40) ? displayName() : null,
            chance(90) ? sipUri() : uri(), Parameters.EMPTY);
        if (chance(30)) {
            na = na.withParameter("expires", Long.toString(deltaSeconds()));
        }
        if (chance(30)) {
            na = na.withParameter("q", qvalue());
        }
        if (chance(15)) {
            na = na.withParameter("+sip.instance", "<urn:uuid:" + uuid() + ">");
        }
        return Contact.of(withGenericParams(na, chance(15) ? 1 : 0));
    }

    private String qvalue() {
        return switch (below(4)) {
            case 0 -> "1";
            case 1 -> "0";
            case 2 -> "1.000";
            default -> "0." + chars(DIGITS, 1, 3);
        };
    }

    private long deltaSeconds() {
        return switch (below(4)) {
            case 0 -> 0;
            case 1 -> 3600;
            case 2 -> 0xFFFF_FFFFL;
            default -> below(1_000_000);
        };
    }

    /**
     * A Call-ID: {@code word ["@" word]}, sometimes with the odd word characters
     * {@code ()<>:\"/[]?{}}.
     *
     * @return a Call-ID
     */
    public String callId() {
        String alphabet = chance(25) ? ALNUM + TOKEN_MARKS + WORD_EXTRA : ALNUM + "-.";
        String id = chars(alphabet, 1, 24);
        return chance(60) ? id + "@" + chars(alphabet, 1, 12) : id;
    }

    /**
     * A CSeq: a sequence number from 0 to 2<sup>31</sup>-1 and the given method.
     *
     * @param method the request's method
     * @return a CSeq value
     */
    public CSeq cseq(Method method) {
        long n = switch (below(4)) {
            case 0 -> 0;
            case 1 -> CSeq.MAX;
            default -> between(1, 100_000);
        };
        return new CSeq(n, method);
    }

    /**
     * A media type with parameters: common types (application/sdp, text/plain with charset,
     * multipart with a boundary, extension types) in varied case.
     *
     * @return a content type
     */
    public ContentType contentType() {
        return switch (below(5)) {
            case 0 -> ContentType.APPLICATION_SDP;
            case 1 -> new ContentType("text", "plain", Parameters.of("charset", coin() ? "UTF-8" : "utf-8"));
            case 2 -> new ContentType("multipart", "mixed", Parameters.of("boundary", boundary()));
            case 3 -> new ContentType("Application", "Octet-Stream", Parameters.EMPTY);
            default -> new ContentType(lowerToken(), "x-" + lowerToken(),
                chance(50) ? Parameters.of("x-" + lowerToken(), coin() ? token() : "with space") : Parameters.EMPTY);
        };
    }

    private String boundary() {
        return chance(50) ? "unique-boundary-" + chars(ALNUM, 1, 6) : "boundary with spaces " + chars(ALNUM, 1, 4);
    }

    /*
     * Parameters quotes a value only when it is not a token (':' excepted, for hosts), so every
     * quoted-string value here holds a space or ';' to come out quoted, as auth-params need.
     */
    private AuthValue authValue(boolean challenge) {
        String scheme = chance(80) ? "Digest" : "X" + chars(ALNUM, 1, 8);
        Parameters p = Parameters.EMPTY;
        if (challenge) {
            p = p.with("realm", hostname() + " realm").with("nonce", chars(HEX, 8, 32) + " n");
            if (coin()) {
                p = p.with("algorithm", coin() ? "MD5" : "SHA-256");
            }
            if (coin()) {
                p = p.with("qop", "auth,auth-int");
            }
        } else {
            p = p.with("username", word() + " user").with("realm", hostname() + " realm")
                .with("nonce", chars(HEX, 8, 32) + " n").with("uri", "sip:" + hostname() + ";transport=udp")
                .with("response", chars(HEX, 32, 32) + " r");
            if (coin()) {
                p = p.with("algorithm", "MD5");
            }
        }
        return new AuthValue(scheme, p);
    }

    /*
     * Digest needs quoted strings for realm, nonce, uri, response... (RFC 3261 §25.1), but
     * Parameters quotes only values that are not tokens; the message generators therefore write
     * these two headers as text.
     */
    private String digestChallenge() {
        return "Digest realm=\"" + hostname() + "\", nonce=\"" + chars(HEX, 8, 32) + "\""
            + (coin() ? ", algorithm=MD5" : "") + (coin() ? ", qop=\"auth,auth-int\"" : "")
            + (coin() ? ", opaque=\"\", stale=FALSE" : "");
    }

    private String digestCredentials() {
        return "Digest username=\"" + word() + "\", realm=\"" + hostname() + "\", nonce=\""
            + chars(HEX, 8, 32) + "\", uri=\"sip:" + hostname() + "\", response=\""
            + chars(HEX, 32, 32) + "\"" + (coin() ? ", algorithm=MD5" : "")
            + (coin() ? ", cnonce=\"" + chars(HEX, 8, 8) + "\", qop=auth, nc=00000001" : "");
    }

    /**
     * A random value of a typed header, valid for that header.
     *
     * @param type one of the constants of {@link HeaderType}
     * @param <T> the value type
     * @return a value whose wire form {@code type.format(value)} parses back to it
     * @throws IllegalArgumentException for a header type these generators do not know
     */
    @SuppressWarnings("unchecked")
    public <T> T headerValue(HeaderType<T> type) {
        Objects.requireNonNull(type, "type");
        Object v;
        if (type == HeaderType.VIA) {
            v = via();
        } else if (type == HeaderType.FROM || type == HeaderType.TO) {
            v = fromTo(coin());
        } else if (type == HeaderType.CONTACT) {
            v = contact();
        } else if (type == HeaderType.CALL_ID) {
            v = callId();
        } else if (type == HeaderType.CSEQ) {
            v = cseq(method());
        } else if (type == HeaderType.MAX_FORWARDS) {
            v = below(256);
        } else if (type == HeaderType.ROUTE || type == HeaderType.RECORD_ROUTE
            || type == HeaderType.PATH || type == HeaderType.SERVICE_ROUTE) {
            v = routeAddress();
        } else if (type == HeaderType.REPLY_TO || type == HeaderType.REFER_TO
            || type == HeaderType.P_ASSERTED_IDENTITY) {
            v = nameAddress();
        } else if (type == HeaderType.CONTENT_LENGTH) {
            v = below(65536);
        } else if (type == HeaderType.CONTENT_TYPE || type == HeaderType.ACCEPT) {
            v = contentType();
        } else if (type == HeaderType.EXPIRES || type == HeaderType.MIN_EXPIRES) {
            v = deltaSeconds();
        } else if (type == HeaderType.REQUIRE || type == HeaderType.PROXY_REQUIRE
            || type == HeaderType.SUPPORTED || type == HeaderType.UNSUPPORTED) {
            v = optionTag();
        } else if (type == HeaderType.ALLOW) {
            v = method();
        } else if (type == HeaderType.WWW_AUTHENTICATE || type == HeaderType.PROXY_AUTHENTICATE) {
            v = authValue(true);
        } else if (type == HeaderType.AUTHORIZATION || type == HeaderType.PROXY_AUTHORIZATION) {
            v = authValue(false);
        } else if (type == HeaderType.RETRY_AFTER) {
            v = new RetryAfter(deltaSeconds(), chance(30) ? "in a " + word() + " while" : null,
                chance(30) ? Parameters.of("duration", Long.toString(below(7200))) : Parameters.EMPTY);
        } else if (type == HeaderType.WARNING) {
            v = new Warning(between(300, 399), coin() ? hostname() : ipv4() + ":" + port(),
                "Incompatible \"" + word() + "\" \\ " + word());
        } else if (type == HeaderType.DATE) {
            v = new SipDate(instant());
        } else if (type == HeaderType.EVENT) {
            v = new Event(pick(new String[] {"presence", "dialog", "reg", "message-summary", "presence.winfo", "refer"}),
                chance(40) ? Parameters.of("id", chars(ALNUM, 1, 8)) : Parameters.EMPTY);
        } else if (type == HeaderType.SUBSCRIPTION_STATE) {
            v = switch (below(3)) {
                case 0 -> new SubscriptionState("active", Parameters.of("expires", Long.toString(deltaSeconds())));
                case 1 -> new SubscriptionState("pending", Parameters.EMPTY);
                default -> new SubscriptionState("terminated", Parameters.of("reason", "timeout"));
            };
        } else if (type == HeaderType.REASON) {
            v = coin()
                ? new Reason("SIP", Parameters.of("cause", Integer.toString(between(200, 699)), "text", "Call completed elsewhere"))
                : new Reason("Q.850", Parameters.of("cause", Integer.toString(between(1, 127))));
        } else {
            throw new IllegalArgumentException("no generator for " + type);
        }
        return (T) v;
    }

    private String optionTag() {
        return pick(new String[] {"100rel", "timer", "replaces", "path", "gruu", "outbound", "norefersub"})
            + (chance(20) ? "." + lowerToken() : "");
    }

    private Instant instant() {
        // From 2001-09-09 to 2033-05-18: four-digit years, any day of the month.
        return Instant.ofEpochSecond(1_000_000_000L + (long) below(1_000_000_000));
    }

    // ---------------------------------------------------------------- messages

    /**
     * A request built with {@link SipRequest#builder}: any method, a sip/sips/tel Request-URI,
     * one to three Vias (sometimes joined on one line), From with tag, To (tag sometimes),
     * Call-ID, CSeq matching the method, Max-Forwards, and at random Contact (the wildcard only
     * in a REGISTER with Expires 0), Route, Supported, Allow, Expires, Date, Subject, auth,
     * extension headers with UTF-8 values, and a body (SDP, UTF-8 text, multipart or binary).
     *
     * @return a valid request
     */
    public SipRequest request() {
        Method m = method();
        SipRequest.Builder b = SipRequest.builder(m, requestUri())
            .from(fromTo(true))
            .to(fromTo(chance(30)))
            .callId(callId())
            .cseq(cseq(m).sequence())
            .maxForwards(chance(80) ? 70 : below(256));
        addVias(b);
        if (m.equals(Method.REGISTER) && chance(20)) {
            b.add(HeaderType.CONTACT, Contact.WILDCARD);
            b.set(HeaderType.EXPIRES, 0L);
        } else if (chance(60)) {
            addListHeader(b, HeaderType.CONTACT, between(1, 3), this::contact);
        }
        if (chance(20)) {
            addListHeader(b, HeaderType.ROUTE, between(1, 3), this::routeAddress);
        }
        addCommonHeaders(b);
        if (chance(15)) {
            b.addHeader(StandardHeader.AUTHORIZATION, digestCredentials());
        }
        addBody(b);
        return b.build();
    }

    /**
     * A response built with {@link SipResponse#builder}: any code from 100 to 699 with its
     * standard, a custom (UTF-8), or an empty reason phrase; either answering a generated
     * request ({@link SipResponse#builder(SipRequest, int)}) or built from scratch with one to
     * three Vias, From, To with tag, Call-ID and CSeq; and at random Contact, Record-Route,
     * Warning, Retry-After, WWW-Authenticate, extension headers and a body.
     *
     * @return a valid response
     */
    public SipResponse response() {
        int code = between(100, 699);
        SipResponse.Builder b;
        if (chance(30)) {
            SipRequest request = request();
            b = SipResponse.builder(request, code);
            if (code != 100 && request.to().tag() == null) {
                // The builder would add a To tag of its own making: draw it here instead, so the
                // response depends on the seed alone.
                b.toTag(tag());
            }
        } else {
            Method m = method();
            b = SipResponse.builder(Status.of(code))
                .from(fromTo(true))
                .to(fromTo(code != 100 || coin()))
                .callId(callId())
                .set(HeaderType.CSEQ, cseq(m));
            addVias(b);
        }
        b.status(status(code));
        if (chance(40)) {
            addListHeader(b, HeaderType.CONTACT, between(1, 2), this::contact);
        }
        if (chance(15)) {
            addListHeader(b, HeaderType.RECORD_ROUTE, between(1, 3), this::routeAddress);
        }
        if (chance(10)) {
            b.add(HeaderType.WARNING, headerValue(HeaderType.WARNING));
        }
        if (chance(10)) {
            b.set(HeaderType.RETRY_AFTER, headerValue(HeaderType.RETRY_AFTER));
        }
        if (code == 401 || chance(5)) {
            b.addHeader(StandardHeader.WWW_AUTHENTICATE, digestChallenge());
        }
        addCommonHeaders(b);
        addBody(b);
        return b.build();
    }

    private Status status(int code) {
        return switch (below(4)) {
            case 0 -> Status.of(code, "");
            case 1 -> Status.of(code, pick(new String[] {"Très bien", "Go Away", "It's fine (really)", "50%25 done", "日本"}));
            default -> Status.of(code);
        };
    }

    private <B extends sip.message.MessageBuilder<B, ?>> void addVias(B b) {
        int n = between(1, 3);
        List<Via> vias = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            vias.add(via());
        }
        if (n > 1 && coin()) {
            // Several values on one line (RFC 3261 §7.3.1).
            b.addHeader(StandardHeader.VIA, join(vias));
        } else {
            for (Via v : vias) {
                b.add(HeaderType.VIA, v);
            }
        }
    }

    private <T, B extends sip.message.MessageBuilder<B, ?>> void addListHeader(
            B b, HeaderType<T> type, int n, java.util.function.Supplier<T> gen) {
        List<T> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(gen.get());
        }
        if (n > 1 && coin()) {
            b.addHeader(type.name(), join(values));
        } else {
            for (T v : values) {
                b.add(type, v);
            }
        }
    }

    private static String join(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(v);
        }
        return sb.toString();
    }

    private <B extends sip.message.MessageBuilder<B, ?>> void addCommonHeaders(B b) {
        if (chance(30)) {
            addListHeader(b, HeaderType.SUPPORTED, between(1, 3), this::optionTag);
        }
        if (chance(20)) {
            addListHeader(b, HeaderType.ALLOW, between(1, 5), this::method);
        }
        if (chance(10)) {
            b.add(HeaderType.REQUIRE, optionTag());
        }
        if (chance(15)) {
            b.addHeader(StandardHeader.DATE, RFC1123_GMT.format(ZonedDateTime.ofInstant(instant(), ZoneOffset.UTC)));
        }
        if (chance(20)) {
            // Subject is text: may be empty (RFC 4475 §3.1.1.1 has one).
            b.addHeader(StandardHeader.SUBJECT, chance(20) ? "" : text());
        }
        if (chance(15)) {
            b.addHeader(StandardHeader.USER_AGENT, "Parley-Testkit/" + between(0, 9) + "." + between(0, 99)
                + (coin() ? " (" + word() + ")" : ""));
        }
        if (chance(10)) {
            b.set(HeaderType.EXPIRES, deltaSeconds());
        }
        if (chance(10)) {
            b.set(HeaderType.EVENT, headerValue(HeaderType.EVENT));
        }
        int unknown = chance(40) ? between(1, 3) : 0;
        for (int i = 0; i < unknown; i++) {
            // Unknown headers are kept verbatim; commas are not separators there.
            b.addHeader("X-" + token(), chance(10) ? "" : text());
        }
    }

    /** TEXT-UTF8 with single spaces: no leading or trailing whitespace. */
    private String text() {
        StringBuilder sb = new StringBuilder();
        int words = between(1, 5);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            int k = below(10);
            if (k < 6) {
                sb.append(WORDS[below(WORDS.length)]);
            } else {
                sb.append(chars(ALNUM + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", 1, 8));
            }
        }
        return sb.toString();
    }

    private <B extends sip.message.MessageBuilder<B, ?>> void addBody(B b) {
        if (!chance(35)) {
            return;
        }
        ContentType ct = contentType();
        byte[] body;
        if (ct.is("application", "sdp")) {
            body = sdp().getBytes(StandardCharsets.UTF_8);
        } else if (ct.is("multipart", "mixed")) {
            String bd = ct.boundary();
            body = ("--" + bd + "\r\nContent-Type: text/plain\r\n\r\n" + text() + "\r\n--" + bd
                + "\r\nContent-Type: application/octet-stream\r\n\r\n" + text() + "\r\n--" + bd + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        } else if (ct.is("text", "plain")) {
            body = text().getBytes(StandardCharsets.UTF_8);
        } else {
            // Binary: every byte value, CR, LF and NUL included.
            body = new byte[between(1, 300)];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) below(256);
            }
        }
        b.body(ct, body);
    }

    private String sdp() {
        String addr = ipv4();
        return "v=0\r\no=" + word() + " " + between(1, 99999) + " " + between(1, 99999) + " IN IP4 " + addr
            + "\r\ns=-\r\nc=IN IP4 " + addr + "\r\nt=0 0\r\nm=audio " + between(1024, 65535)
            + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    // ---------------------------------------------------------------- wire forms

    /**
     * The wire bytes of a {@link #request()} in an equivalent but unusual form (see
     * {@link #wireForm(SipMessage)}).
     *
     * @return a valid request in wire form
     */
    public byte[] requestBytes() {
        return wireForm(request());
    }

    /**
     * The wire bytes of a {@link #response()} in an equivalent but unusual form (see
     * {@link #wireForm(SipMessage)}).
     *
     * @return a valid response in wire form
     */
    public byte[] responseBytes() {
        return wireForm(response());
    }

    /**
     * Writes {@code message} as valid wire bytes with the variations RFC 3261 allows and builders
     * never produce: header names in compact form or any case, whitespace before and after the
     * colon, values folded onto continuation lines, consecutive fields of a list header joined
     * with commas (sometimes folded after the comma), and a Content-Length (long or compact)
     * placed anywhere among the headers. The start line, header order, values and body are kept,
     * so parsing the result gives a message with the same header values as {@code message}
     * (modulo folding, which a parser replaces with a single space).
     *
     * @param message any message, e.g. from {@link #request()}
     * @return its wire form
     */
    public byte[] wireForm(SipMessage message) {
        Objects.requireNonNull(message, "message");
        StringBuilder sb = new StringBuilder(512);
        if (message instanceof SipRequest r) {
            sb.append(r.method().name()).append(' ').append(r.requestUri()).append(' ').append(r.version());
        } else {
            SipResponse r = (SipResponse) message;
            sb.append(r.version()).append(' ').append(r.statusCode()).append(' ').append(r.status().reason());
        }
        sb.append("\r\n");
        byte[] body = message.body();
        List<HeaderField> fields = new ArrayList<>();
        for (HeaderField f : message.headers()) {
            if (!f.name().equals(StandardHeader.CONTENT_LENGTH)) {
                fields.add(f);
            }
        }
        int contentLengthAt = chance(70) ? fields.size() : below(fields.size() + 1);
        int i = 0;
        while (i <= fields.size()) {
            if (i == contentLengthAt) {
                writeName(sb, StandardHeader.CONTENT_LENGTH);
                writeColon(sb);
                sb.append(body.length).append("\r\n");
            }
            if (i == fields.size()) {
                break;
            }
            HeaderField f = fields.get(i);
            writeName(sb, f.name());
            if (f.value().isEmpty()) {
                sb.append(coin() ? ":" : ": ");
            } else {
                writeColon(sb);
            }
            sb.append(f.value());
            i++;
            // Join following fields of the same list header onto this line.
            while (f.name().isList() && i < fields.size() && i != contentLengthAt
                && fields.get(i).name().equals(f.name()) && !fields.get(i).value().isEmpty()
                && !f.value().isEmpty() && chance(50)) {
                sb.append(pick(new String[] {",", ", ", " , ", ",\r\n ", ",\r\n\t"}));
                sb.append(fields.get(i).value());
                i++;
            }
            sb.append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.writeBytes(head);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private void writeName(StringBuilder sb, HeaderName name) {
        String n = name.canonical();
        int k = below(10);
        if (name.compact() != 0 && k < 3) {
            char c = name.compact();
            sb.append(coin() ? c : Character.toUpperCase(c));
        } else if (k == 3) {
            sb.append(n.toLowerCase(Locale.ROOT));
        } else if (k == 4) {
            sb.append(n.toUpperCase(Locale.ROOT));
        } else {
            sb.append(n);
        }
    }

    private void writeColon(StringBuilder sb) {
        // HCOLON = *( SP / HTAB ) ":" SWS; SWS may be a folded line.
        sb.append(switch (below(8)) {
            case 0 -> ":";
            case 1 -> " : ";
            case 2 -> "\t:\t";
            case 3 -> ":\r\n ";
            case 4 -> ":  \r\n\t ";
            default -> ": ";
        });
    }
}
