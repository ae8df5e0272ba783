package sip.router.auth;

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
 * {@link CredentialsProvider} and CSeq + 1. A challenge is answered once; a second challenge
 * marked {@code stale=true} (the nonce expired in between) once more. Any other second
 * challenge means the credentials were refused and is handed to the caller.
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
    private static final int MAX_ANSWERS = 2;

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
        return follow(client.request(request), 0);
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

    private CompletableFuture<ClientTransaction> follow(ClientTransaction tx, int answered) {
        return tx.response().thenComposeAsync(r -> {
            if (!isChallenge(r) || answered == MAX_ANSWERS || (answered == 1 && !isStale(r))) {
                return CompletableFuture.completedFuture(tx);
            }
            // The request as sent keeps the From tag and Contact the client added; its Via is
            // the old transaction's and the client adds a new one (RFC 3261 §8.1.3.5).
            SipRequest sent = tx.request().toBuilder().removeFirst(HeaderType.VIA).build();
            Optional<SipRequest> retry = DigestClient.authorize(sent, r, credentials, 1,
                DigestClient.newCnonce());
            return retry.map(q -> follow(client.request(q), answered + 1))
                .orElseGet(() -> CompletableFuture.completedFuture(tx));
        }, VIRTUAL);
    }

    private static boolean isChallenge(SipResponse r) {
        return r.statusCode() == 401 || r.statusCode() == 407;
    }

    private static boolean isStale(SipResponse r) {
        HeaderType<AuthValue> type = r.statusCode() == 407
            ? HeaderType.PROXY_AUTHENTICATE : HeaderType.WWW_AUTHENTICATE;
        return AuthFields.all(r, type).stream().anyMatch(v -> "true".equalsIgnoreCase(v.parameter("stale")));
    }
}
