package sip.router.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import sip.message.AuthValue;
import sip.message.HeaderType;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Client;
import sip.router.ClientTransaction;

/**
 * A {@link Client} front that answers 401/407 challenges itself (RFC 3261 §22.2–§22.3): the
 * request is sent again, in a new transaction, with credentials from a
 * {@link CredentialsProvider} and CSeq + 1. Challenges are tracked per (401 or 407, realm), so
 * a chain works, such as a proxy's 407 and then the UAS's 401: each realm is answered once, and
 * once more when challenged again with {@code stale=true} (the nonce expired in between). A
 * realm already answered challenged again without {@code stale} means its credentials were
 * refused: that challenge is handed to the caller. At most {@value #MAX_ANSWERS} answers in all.
 *
 * <p>Every challenge carries a fresh nonce from this client's point of view, so nc is always
 * {@code 00000001}; caching nonces for pre-emptive credentials on later requests is not done.
 * Thread-safe.
 *
 * <pre>{@code
 * AuthenticatingClient auth = AuthenticatingClient.of(ua.client(),
 *     CredentialsProvider.of(new Credentials("alice", "secret")));
 * SipResponse r = auth.send(ua.client().newRequest(Method.REGISTER, registrar).build());
 * }</pre>
 */
public final class AuthenticatingClient {
    // Client.request may block (locating the server, opening a connection), and a future's
    // continuation may run on a transport thread that must not block: hop to a virtual thread.
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);
    /** Bounds a chain of distinct realms, or a server that keeps answering stale. */
    private static final int MAX_ANSWERS = 6;
    private static final int PER_REALM = 2;

    /** One challenger: a 401 and a 407 with the same realm are different servers. */
    private record Challenger(int status, String realm) {}

    private final Client client;
    private final CredentialsProvider credentials;

    private AuthenticatingClient(Client client, CredentialsProvider credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    public static AuthenticatingClient of(Client client, CredentialsProvider credentials) {
        return new AuthenticatingClient(Objects.requireNonNull(client, "client"),
            Objects.requireNonNull(credentials, "credentials"));
    }

    /**
     * Sends {@code request} and completes with the last transaction once its final response is
     * in: the one that got through, or the one whose challenge could not (or may no more) be
     * answered. Its {@link ClientTransaction#request()} is what an ACK for a 2xx to an INVITE is
     * built from.
     */
    public CompletableFuture<ClientTransaction> request(SipRequest request) {
        return follow(client.request(request), Map.of());
    }

    /**
     * As {@link #request}, waiting for the final response.
     *
     * @throws InterruptedException if interrupted while waiting; the transaction goes on
     */
    public SipResponse send(SipRequest request) throws InterruptedException {
        try {
            return request(request).get().response().join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("sending failed", e.getCause());
        }
    }

    private CompletableFuture<ClientTransaction> follow(ClientTransaction tx, Map<Challenger, Integer> answered) {
        return tx.response().thenComposeAsync(r -> {
            Map<Challenger, Integer> next = isChallenge(r) ? mayAnswer(r, answered) : null;
            if (next == null) {
                return CompletableFuture.completedFuture(tx);
            }
            // The request as sent keeps the From tag and Contact the client added; its Via is
            // the old transaction's and the client adds a new one (RFC 3261 §8.1.3.5).
            SipRequest sent = tx.request().toBuilder().removeFirst(HeaderType.VIA).build();
            Optional<SipRequest> retry = DigestClient.authorize(sent, r, credentials, 1,
                DigestClient.newCnonce());
            return retry.map(q -> follow(client.request(q), next))
                .orElseGet(() -> CompletableFuture.completedFuture(tx));
        }, VIRTUAL);
    }

    /**
     * The answers counted after answering {@code challenge}, or null when it must be handed to
     * the caller: a realm answered before challenged again without stale, or a budget spent.
     */
    private static Map<Challenger, Integer> mayAnswer(SipResponse challenge, Map<Challenger, Integer> answered) {
        int total = answered.values().stream().mapToInt(Integer::intValue).sum();
        List<AuthValue> offers = AuthFields.all(challenge, typeOf(challenge)).stream()
            .filter(v -> v.isDigest() && v.parameter("realm") != null).toList();
        if (offers.isEmpty() || total >= MAX_ANSWERS) {
            return null;
        }
        Map<Challenger, Integer> next = new HashMap<>(answered);
        for (String realm : offers.stream().map(v -> v.parameter("realm")).distinct().toList()) {
            Challenger c = new Challenger(challenge.statusCode(), realm);
            int before = answered.getOrDefault(c, 0);
            boolean stale = offers.stream().anyMatch(v -> realm.equals(v.parameter("realm"))
                && "true".equalsIgnoreCase(v.parameter("stale")));
            if (before >= PER_REALM || before > 0 && !stale) {
                return null;
            }
            next.put(c, before + 1);
        }
        return Map.copyOf(next);
    }

    private static boolean isChallenge(SipResponse r) {
        return r.statusCode() == 401 || r.statusCode() == 407;
    }

    private static HeaderType<AuthValue> typeOf(SipResponse challenge) {
        return challenge.statusCode() == 407 ? HeaderType.PROXY_AUTHENTICATE : HeaderType.WWW_AUTHENTICATE;
    }
}
