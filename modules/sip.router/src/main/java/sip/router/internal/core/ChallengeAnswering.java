package sip.router.internal.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.SipParseException;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.router.auth.CredentialsProvider;
import sip.router.auth.DigestClient;

/**
 * The challenges one request exchange has answered (RFC 3261 §22.2–§22.3), and the next request
 * to send for a 401/407. Challengers are told apart by (401 or 407, realm), so a proxy's 407
 * followed by the UAS's 401 is answered in turn. Each is answered once, and again when it
 * challenges with {@code stale=true}; challenged again without stale, its credentials were
 * refused and the challenge goes to the caller. At most {@value #MAX_ANSWERS} retries per
 * exchange, whatever the server says.
 *
 * <p>Every retry carries credentials for every challenge answered so far, each recomputed with
 * its nonce's next nonce-count (RFC 7616 §3.4: a server may refuse a repeated nc as a replay).
 * Guarded by the owning {@link AnsweredTransaction}; not thread-safe on its own.
 */
final class ChallengeAnswering {
    /** Bounds a chain of distinct realms, or a server that keeps answering stale. */
    static final int MAX_ANSWERS = 6;

    private record Challenger(int status, String realm) {}

    /** The challenge last answered for one challenger, and the nc last sent on its nonce. */
    private static final class Answer {
        final SipResponse challenge;
        final String cnonce = DigestClient.newCnonce();
        int nonceCount;
        int times;

        Answer(SipResponse challenge, int times) {
            this.challenge = challenge;
            this.times = times;
        }
    }

    private final CredentialsProvider credentials;
    private final Map<Challenger, Answer> answers = new LinkedHashMap<>();
    private int retries;

    ChallengeAnswering(CredentialsProvider credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * The request to send for {@code response} to {@code sent}, or empty when {@code response} is
     * no challenge or must go to the caller (a challenger refused the credentials, no
     * credentials for any realm challenged, the budget spent).
     *
     * @param sent the request as sent, with the Via of its transaction
     */
    Optional<SipRequest> retryFor(SipRequest sent, SipResponse response) {
        int status = response.statusCode();
        if ((status != 401 && status != 407) || retries >= MAX_ANSWERS) {
            return Optional.empty();
        }
        List<AuthValue> offers = new ArrayList<>();
        for (AuthValue v : challenges(response)) {
            if (v.isDigest() && v.parameter("realm") != null) {
                offers.add(v);
            }
        }
        Map<Challenger, Answer> fresh = new HashMap<>();
        for (AuthValue offer : offers) {
            Challenger c = new Challenger(status, offer.parameter("realm"));
            if (fresh.containsKey(c)) {
                continue;
            }
            Answer before = answers.get(c);
            boolean stale = offers.stream().anyMatch(v -> c.realm().equals(v.parameter("realm"))
                    && "true".equalsIgnoreCase(v.parameter("stale")));
            if (before != null && (!stale || before.times >= 2)) {
                return Optional.empty();
            }
            fresh.put(c, new Answer(response, before == null ? 1 : before.times + 1));
        }
        // §8.1.3.5: a new request in a new transaction, same Call-ID, From, To; the transport
        // layer adds the new Via (and branch); CSeq one higher.
        SipRequest.Builder base = sent.toBuilder().removeFirst(HeaderType.VIA)
                .removeHeader(StandardHeader.AUTHORIZATION)
                .removeHeader(StandardHeader.PROXY_AUTHORIZATION)
                .cseq(sent.cseq().sequence() + 1);
        SipRequest bare = base.build();
        Map<Challenger, Answer> next = new LinkedHashMap<>(answers);
        next.putAll(fresh);
        boolean answeredNew = false;
        List<Runnable> commits = new ArrayList<>();
        for (Map.Entry<Challenger, Answer> e : next.entrySet()) {
            Answer a = e.getValue();
            int nc = a.nonceCount + 1;
            Optional<String> field = field(bare, e.getKey(), a, nc);
            if (field.isPresent()) {
                base.addHeader(headerOf(e.getKey().status()), field.get());
                commits.add(() -> a.nonceCount = nc);
                answeredNew |= fresh.containsKey(e.getKey());
            }
        }
        if (!answeredNew) {
            return Optional.empty();
        }
        commits.forEach(Runnable::run);
        answers.clear();
        answers.putAll(next);
        retries++;
        return Optional.of(base.build());
    }

    /** The credentials field answering {@code c}'s challenge in {@code bare}, with nc {@code nc}. */
    private Optional<String> field(SipRequest bare, Challenger c, Answer a, int nc) {
        CredentialsProvider forRealm = (realm, request) ->
                realm.equals(c.realm()) ? credentials.credentialsFor(realm, request) : Optional.empty();
        return DigestClient.authorize(bare, a.challenge, forRealm, nc, a.cnonce)
                .map(r -> r.headerValues(headerOf(c.status())))
                .filter(values -> !values.isEmpty())
                .map(List::getFirst);
    }

    private static StandardHeader headerOf(int status) {
        return status == 407 ? StandardHeader.PROXY_AUTHORIZATION : StandardHeader.AUTHORIZATION;
    }

    /** Every challenge of {@code response}, skipping fields that do not parse. */
    private static List<AuthValue> challenges(SipResponse response) {
        HeaderType<AuthValue> type = response.statusCode() == 407
                ? HeaderType.PROXY_AUTHENTICATE : HeaderType.WWW_AUTHENTICATE;
        List<AuthValue> out = new ArrayList<>();
        for (String field : response.headerValues(type.name())) {
            try {
                out.addAll(type.parse(field));
            } catch (SipParseException unreadable) {
                // A malformed field holds no usable challenge and must not hide one that does.
            }
        }
        return out;
    }
}
