package sip.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.Parameters;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Status;
import sip.message.Uri;
import sip.router.RequestHandler;

/**
 * Server side of Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): challenges requests
 * and verifies their credentials. Immutable apart from its replay table; thread-safe.
 *
 * <pre>{@code
 * DigestAuthenticator auth = DigestAuthenticator.newBuilder()
 *     .realm("example.com")
 *     .credentials(new InMemoryCredentialStore().add("alice", "example.com", "secret"))
 *     .build();
 * switch (auth.authenticate(request)) {
 *     case AuthResult.Authenticated(String user) -> ...
 *     case AuthResult.Challenge c -> ... respond c.status() with c.headerValues() under c.headerName()
 *     case AuthResult.Rejected(int status, String reason) -> ... respond status
 * }
 * }</pre>
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>No credentials, only other schemes (RFC 4475 {@code regaut01}; {@code Basic}, which RFC
 *     3261 §22.4 forbids), only fields that do not parse, credentials for another realm, or an
 *     algorithm not offered:
 *     a {@link AuthResult.Challenge}. Nothing but a verified Digest response is ever accepted.</li>
 * <li>A nonce this server did not make (tampered, other key): a challenge, not stale.</li>
 * <li>Unknown user or wrong password: a fresh challenge, not stale, the same for both so the
 *     answer does not tell which users exist. This is RFC 3261 §22.2's convention: a UAC that
 *     gets a non-stale challenge for credentials it just sent knows they were refused (and
 *     Parley's client then hands the challenge to its caller, so there is no loop).</li>
 * <li>Right password, expired nonce: a challenge with {@code stale=true} (RFC 7616 §3.3).</li>
 * <li>Right password, nonce issued before this authenticator was built (by an earlier run, or
 *     by another server sharing the key): a challenge with {@code stale=true}, because the
 *     replay table is per instance and cannot know whether that nonce was used elsewhere.</li>
 * <li>Right password, nonce-count not higher than one already accepted with that nonce (a
 *     replay, or a client reusing a nonce out of order): a challenge with {@code stale=true},
 *     so a genuine client recovers with a fresh nonce and a replayer gains nothing.</li>
 * <li>Malformed Digest credentials (no username, nonce, uri or response; qop other than
 *     {@code auth}; no qop, since without {@code nc} replays cannot be detected; a bad
 *     {@code nc}): {@link AuthResult.Rejected} 400. A digest {@code uri} other than the
 *     Request-URI: 400 as RFC 7616 §3.4.6 says.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Nonce lifetime 5 minutes by default; the replay table holds at most {@code maxTrackedNonces}
 * (default 100,000, roughly 25 MB at about 250 bytes each) nonces, see {@link Builder#maxTrackedNonces}.
 */
public final class DigestAuthenticator {
    private final String realm;
    private final Nonces nonces;
    private final Duration nonceLifetime;
    private final List<DigestAlgorithm> algorithms;
    private final InstantSource clock;
    private final CredentialStore credentials;
    private final boolean proxy;
    private final NonceCounts nonceCounts;
    private final Map<DigestAlgorithm, String> unknownUserHa1;

    private DigestAuthenticator(Builder b) {
        this.realm = b.realm;
        this.nonces = new Nonces(b.key, b.realm);
        this.nonceLifetime = b.nonceLifetime;
        this.algorithms = List.copyOf(b.algorithms);
        this.clock = b.clock;
        this.credentials = b.credentials;
        this.proxy = b.proxy;
        // Replays are tracked per instance: a nonce issued before this one started (by an earlier
        // run or by another server sharing the key) may have been used there, so it is stale here.
        this.nonceCounts = new NonceCounts(b.maxTrackedNonces, b.clock.millis());
        // Made once, from a random password nobody knows, so an unknown user costs the same
        // hashing per request as a known one with a wrong password.
        EnumMap<DigestAlgorithm, String> dummies = new EnumMap<>(DigestAlgorithm.class);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        for (DigestAlgorithm a : this.algorithms) {
            dummies.put(a, a.ha1("\0unknown", realm, HexFormat.of().formatHex(secret)));
        }
        this.unknownUserHa1 = Map.copyOf(dummies);
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public String realm() {
        return realm;
    }

    /** Decides whether {@code request} carries valid credentials for this realm. */
    public AuthResult authenticate(SipRequest request) {
        long now = clock.millis();
        HeaderType<AuthValue> type = proxy ? HeaderType.PROXY_AUTHORIZATION : HeaderType.AUTHORIZATION;
        AuthValue ours = null;
        for (String field : request.headerValues(type.name())) {
            for (AuthValue v : AuthFields.parse(type, field)) {
                // RFC 3261 §22.4: one field per realm may come; the realm picks ours.
                if (ours == null && v.isDigest() && realm.equals(v.parameter("realm"))) {
                    ours = v;
                }
            }
        }
        if (ours == null) {
            return challenge(now, false);
        }
        return verify(request, ours, now);
    }

    /**
     * A {@link RequestHandler} that lets only authenticated requests through to {@code next},
     * answering the others itself: the challenge (401/407 with its header fields) or the
     * rejection.
     *
     * <pre>{@code
     * ua.server().onRegister(auth.protect((tx, user) -> registrar.register(tx, user)));
     * }</pre>
     */
    public RequestHandler protect(AuthenticatedHandler next) {
        Objects.requireNonNull(next, "next");
        return tx -> {
            switch (authenticate(tx.request())) {
                case AuthResult.Authenticated(String user) -> next.handle(tx, user);
                case AuthResult.Challenge c -> {
                    SipResponse.Builder b = tx.responseBuilder(c.status());
                    for (String v : c.headerValues()) {
                        b.addHeader(c.headerName(), v);
                    }
                    tx.respond(b.build());
                }
                case AuthResult.Rejected(int status, String reason) ->
                    tx.respond(tx.responseBuilder(status).status(Status.of(status, reason)).build());
            }
        };
    }

    /** A fresh challenge, as for a request without credentials. */
    public AuthResult.Challenge challenge() {
        return challenge(clock.millis(), false);
    }

    /** The HA1 an unknown user's response is checked against; made once per algorithm offered. */
    String unknownUserHa1(DigestAlgorithm algorithm) {
        return unknownUserHa1.get(algorithm);
    }

    private AuthResult verify(SipRequest request, AuthValue creds, long now) {
        String username = creds.parameter("username");
        String nonce = creds.parameter("nonce");
        String uri = creds.parameter("uri");
        String response = creds.parameter("response");
        if (username == null || nonce == null || uri == null || response == null) {
            return new AuthResult.Rejected(400, "Digest credentials lack username, nonce, uri or response");
        }
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromToken(creds.parameter("algorithm"));
        if (algorithm.isEmpty() || !algorithms.contains(algorithm.get())) {
            return challenge(now, false);
        }
        String qop = creds.parameter("qop");
        if (!"auth".equalsIgnoreCase(qop)) {
            return new AuthResult.Rejected(400, "Digest qop must be auth");
        }
        String cnonce = creds.parameter("cnonce");
        String ncText = creds.parameter("nc");
        long nc = parseNc(ncText);
        if (cnonce == null || nc <= 0) {
            return new AuthResult.Rejected(400, "Digest qop=auth needs cnonce and an 8-hex-digit nc");
        }
        if (!sameUri(uri, request.requestUri())) {
            return new AuthResult.Rejected(400, "Digest uri does not match the Request-URI");
        }
        long issuedAt = nonces.issuedAt(nonce);
        if (issuedAt < 0) {
            return challenge(now, false);
        }
        Optional<String> ha1 = credentials.ha1(username, realm, algorithm.get());
        // An unknown user is checked against a made-up HA1 so that it takes as long as a wrong
        // password and the two cannot be told apart by timing.
        String expected = algorithm.get().response(
            ha1.orElseGet(() -> unknownUserHa1.get(algorithm.get())),
            nonce, ncText, cnonce, "auth", request.method().name(), uri);
        boolean match = MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (!match || ha1.isEmpty()) {
            return challenge(now, false);
        }
        long expiredBefore = now - nonceLifetime.toMillis();
        if (issuedAt <= expiredBefore || issuedAt > now + nonceLifetime.toMillis()) {
            return challenge(now, true);
        }
        if (nonceCounts.record(nonce, issuedAt, nc, expiredBefore) == NonceCounts.Verdict.REPLAYED) {
            return challenge(now, true);
        }
        return new AuthResult.Authenticated(username);
    }

    // Exactly 8 hex digits (RFC 7616 §3.4): Long.parseLong alone would also take "+0000001".
    private static long parseNc(String nc) {
        if (nc == null || nc.length() != 8) {
            return -1;
        }
        for (int i = 0; i < 8; i++) {
            if (Character.digit(nc.charAt(i), 16) < 0) {
                return -1;
            }
        }
        return Long.parseLong(nc, 16);
    }

    // Byte-equal is the common case; otherwise RFC 3261 §19.1.4 equality, since a client may
    // legitimately re-serialise the URI (RFC 7616 §3.4.6 asks for "the same resource").
    private static boolean sameUri(String digestUri, Uri requestUri) {
        if (digestUri.equals(requestUri.toString())) {
            return true;
        }
        try {
            return Uri.parse(digestUri).equals(requestUri);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private AuthResult.Challenge challenge(long now, boolean stale) {
        String nonce = nonces.issue(now);
        List<String> values = new ArrayList<>(algorithms.size());
        for (DigestAlgorithm a : algorithms) {
            Parameters p = Parameters.EMPTY
                .withQuoted("realm", realm)
                .withQuoted("nonce", nonce)
                .with("algorithm", a.token())
                .withQuoted("qop", "auth");
            if (stale) {
                p = p.with("stale", "true");
            }
            values.add(new AuthValue("Digest", p).toString());
        }
        return new AuthResult.Challenge(proxy ? 407 : 401,
            proxy ? "Proxy-Authenticate" : "WWW-Authenticate", values, stale);
    }

    /** Builds a {@link DigestAuthenticator}; each setter validates and returns this builder. */
    public static final class Builder {
        private String realm;
        private byte[] key;
        private Duration nonceLifetime = Duration.ofMinutes(5);
        private List<DigestAlgorithm> algorithms =
            List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
        private InstantSource clock = InstantSource.system();
        private CredentialStore credentials;
        private boolean proxy;
        private int maxTrackedNonces = 100_000;

        private Builder() {}

        /** The realm (RFC 3261 §22.1: globally unique, with a host or domain name). Required. */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (realm.isEmpty() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("realm must be non-empty without quotes or backslashes");
            }
            this.realm = realm;
            return this;
        }

        /**
         * The HMAC key nonces are made with. Default: 32 random bytes from {@link SecureRandom},
         * so nonces do not survive a restart. Servers sharing a key accept each other's nonces
         * (a client whose requests land on another node is not challenged again), but replay
         * tracking is per instance: each node refuses a replay only of what it saw itself, and
         * nonces issued before a node started are answered {@code stale=true} there. Replay
         * protection across nodes needs a shared replay store, which is future work. At least
         * 16 bytes.
         */
        public Builder nonceKey(byte[] key) {
            if (key.length < 16) {
                throw new IllegalArgumentException("nonce key must be at least 16 bytes");
            }
            this.key = key.clone();
            return this;
        }

        /** How long a nonce is accepted. Default 5 minutes. */
        public Builder nonceLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("nonce lifetime must be positive");
            }
            this.nonceLifetime = lifetime;
            return this;
        }

        /**
         * The algorithms offered, one challenge each, in preference order. Default SHA-256 then
         * MD5 (RFC 8760 §2.4: MD5 last, for older clients). Each must be among the credential
         * store's {@link CredentialStore#algorithms()}.
         */
        public Builder algorithms(DigestAlgorithm... algorithms) {
            if (algorithms.length == 0) {
                throw new IllegalArgumentException("offer at least one algorithm");
            }
            List<DigestAlgorithm> list = List.of(algorithms);
            if (list.stream().distinct().count() != list.size()) {
                throw new IllegalArgumentException("algorithms offered twice: " + list);
            }
            this.algorithms = list;
            return this;
        }

        /**
         * The clock nonces are stamped and aged with. Default {@link InstantSource#system()}.
         * Wall-clock epoch time rather than {@code Scheduler#nanoTime()}: a nonce carries its
         * issue time, and only epoch time means the same thing on every server sharing the key
         * and when comparing it with this authenticator's start-up time. Tests pass a settable source.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where HA1 values are looked up. Required. */
        public Builder credentials(CredentialStore store) {
            this.credentials = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Proxy mode: read Proxy-Authorization and challenge with 407 and Proxy-Authenticate
         * (RFC 3261 §22.3) instead of Authorization, 401 and WWW-Authenticate. Default off.
         */
        public Builder proxy(boolean proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * How many nonces the replay table remembers (about 250 bytes each). Default 100,000.
         * When full the oldest is forgotten and requests with nonces issued up to its issue time
         * are answered {@code stale=true}, so a full table never lets a replay through.
         */
        public Builder maxTrackedNonces(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTrackedNonces must be positive");
            }
            this.maxTrackedNonces = max;
            return this;
        }

        /**
         * @throws IllegalStateException when realm or credentials are missing, or an algorithm
         *     offered is not among the store's {@link CredentialStore#algorithms()} (its users
         *     could not log in with it, and clients pick the strongest offered)
         */
        public DigestAuthenticator build() {
            if (realm == null || credentials == null) {
                throw new IllegalStateException("realm and credentials are required");
            }
            if (!credentials.algorithms().containsAll(algorithms)) {
                throw new IllegalStateException("offering " + algorithms + " but the credential store holds HA1s for "
                    + credentials.algorithms() + " only: offer only those (algorithms(...))");
            }
            if (key == null) {
                key = new byte[32];
                new SecureRandom().nextBytes(key);
            }
            return new DigestAuthenticator(this);
        }
    }
}
