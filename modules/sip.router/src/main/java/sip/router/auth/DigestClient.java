package sip.router.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.Parameters;
import sip.message.SipRequest;
import sip.message.SipResponse;

/**
 * Client side of Digest authentication (RFC 3261 §22.2–§22.3, RFC 7616, RFC 8760): turns a
 * request and the 401/407 it drew into the request to send again. Pure functions; the caller
 * keeps the nonce-count and sends the result in a new transaction (the transport gives it a
 * new Via branch). A user agent built with {@link sip.router.UserAgent.Builder#credentials} does
 * all this for every request its client sends.
 */
public final class DigestClient {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestClient() {}

    /**
     * {@code request} answered for {@code challenge} with {@code credentials} for every realm
     * challenged; as {@link #authorize(SipRequest, SipResponse, CredentialsProvider, int, String)}.
     *
     * @throws IllegalArgumentException when the response holds no Digest challenge Parley can
     *     answer
     */
    public static SipRequest authorize(SipRequest request, SipResponse challenge,
                                       Credentials credentials, int nonceCount, String cnonce) {
        return authorize(request, challenge, CredentialsProvider.of(credentials), nonceCount, cnonce)
            .orElseThrow(() -> new IllegalArgumentException(
                "no Digest challenge with a supported algorithm and qop in " + challenge.status()));
    }

    /**
     * {@code request} with an Authorization (for a 401) or Proxy-Authorization (for a 407) field
     * per realm challenged, and CSeq incremented (RFC 3261 §22.2). For each realm the strongest
     * supported algorithm offered is used; {@code qop=auth} with {@code cnonce} and {@code nc}
     * when the challenge offers it, the RFC 2069 form when it has no qop. Earlier credentials
     * for a realm answered now are replaced (a stale nonce); nothing else is touched.
     *
     * @param nonceCount the nc to send, 1 for a new nonce; the caller counts per nonce
     * @param cnonce the client nonce; {@link #newCnonce()} makes one
     * @return empty when no challenge could be answered (unsupported algorithm or qop, no
     *     credentials from the provider)
     */
    public static Optional<SipRequest> authorize(SipRequest request, SipResponse challenge,
                                                 CredentialsProvider provider, int nonceCount,
                                                 String cnonce) {
        if (nonceCount < 1) {
            throw new IllegalArgumentException("nonce count starts at 1");
        }
        boolean proxy = challenge.statusCode() == 407;
        if (!proxy && challenge.statusCode() != 401) {
            throw new IllegalArgumentException("not a challenge: " + challenge.statusCode());
        }
        HeaderType<AuthValue> in = proxy ? HeaderType.PROXY_AUTHENTICATE : HeaderType.WWW_AUTHENTICATE;
        HeaderType<AuthValue> out = proxy ? HeaderType.PROXY_AUTHORIZATION : HeaderType.AUTHORIZATION;

        Map<String, Offer> best = strongestPerRealm(AuthFields.all(challenge, in));
        List<AuthValue> answers = new ArrayList<>();
        for (Offer offer : best.values()) {
            Optional<Credentials> creds = provider.credentialsFor(offer.realm(), request);
            creds.ifPresent(c -> answers.add(answer(request, offer, c, nonceCount, cnonce)));
        }
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        SipRequest.Builder b = request.toBuilder();
        List<String> previous = request.headerValues(out.name());
        List<String> kept = new ArrayList<>();
        for (String field : previous) {
            List<AuthValue> values = AuthFields.parse(out, field);
            if (values.isEmpty() || values.stream().noneMatch(v -> best.containsKey(v.parameter("realm")))) {
                kept.add(field);
            }
        }
        if (kept.size() < previous.size()) {
            // Rewritten only when a realm is answered again, so other fields keep their bytes.
            // A kept field the builder refuses (it did not parse) is dropped: it cannot be
            // re-sent through a builder, and no server could have read it anyway.
            b.removeHeader(out.name());
            for (String field : kept) {
                try {
                    b.addHeader(out.name(), field);
                } catch (IllegalArgumentException unparsable) {
                    // dropped, as said above
                }
            }
        }
        for (AuthValue v : answers) {
            b.add(out, v);
        }
        b.cseq(request.cseq().sequence() + 1);
        return Optional.of(b.build());
    }

    /** A fresh client nonce: 16 random bytes in hex. */
    public static String newCnonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** One challenge Parley can answer. {@code qop} is null for the RFC 2069 form. */
    private record Offer(String realm, String nonce, String opaque, DigestAlgorithm algorithm,
                         String qop) {}

    private static Map<String, Offer> strongestPerRealm(List<AuthValue> challenges) {
        Map<String, Offer> best = new LinkedHashMap<>();
        for (AuthValue c : challenges) {
            if (!c.isDigest() || c.parameter("realm") == null || c.parameter("nonce") == null) {
                continue;
            }
            Optional<DigestAlgorithm> a = DigestAlgorithm.fromToken(c.parameter("algorithm"));
            if (a.isEmpty()) {
                continue;
            }
            String qopOptions = c.parameter("qop");
            String qop = null;
            if (qopOptions != null) {
                if (!offersAuth(qopOptions)) {
                    continue;
                }
                qop = "auth";
            }
            Offer o = new Offer(c.parameter("realm"), c.parameter("nonce"), c.parameter("opaque"),
                a.get(), qop);
            best.merge(o.realm(), o, (x, y) -> y.algorithm().compareTo(x.algorithm()) > 0 ? y : x);
        }
        return best;
    }

    private static boolean offersAuth(String qopOptions) {
        for (String q : qopOptions.split(",")) {
            if (q.strip().toLowerCase(Locale.ROOT).equals("auth")) {
                return true;
            }
        }
        return false;
    }

    private static AuthValue answer(SipRequest request, Offer offer, Credentials creds,
                                    int nonceCount, String cnonce) {
        String uri = request.requestUri().toString();
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        String ha1 = offer.algorithm().ha1(creds.username(), offer.realm(), creds.password());
        String response = offer.algorithm().response(ha1, offer.nonce(), nc, cnonce, offer.qop(),
            request.method().name(), uri);
        Parameters p = Parameters.EMPTY
            .withQuoted("username", creds.username())
            .withQuoted("realm", offer.realm())
            .withQuoted("nonce", offer.nonce())
            .withQuoted("uri", uri)
            .withQuoted("response", response)
            .with("algorithm", offer.algorithm().token());
        if (offer.opaque() != null) {
            p = p.withQuoted("opaque", offer.opaque());
        }
        if (offer.qop() != null) {
            p = p.with("qop", offer.qop()).with("nc", nc).withQuoted("cnonce", cnonce);
        }
        return new AuthValue("Digest", p);
    }
}
