/**
 * Digest authentication for SIP (RFC 3261 §22, RFC 7616, RFC 8760): MD5, SHA-256 and
 * SHA-512-256 with {@code qop=auth}.
 *
 * <p>Server side: {@link sip.router.auth.DigestAuthenticator} challenges and verifies requests
 * against a {@link sip.router.auth.CredentialStore} of HA1 values
 * ({@link sip.router.auth.InMemoryCredentialStore} by default), with stateless HMAC nonces
 * bound to time and nonce-count replay refusal. Client side:
 * {@link sip.router.auth.DigestClient} rebuilds a challenged request with credentials from a
 * {@link sip.router.auth.CredentialsProvider}.
 *
 * <p>Both are pure: they read and build messages and never send one, so a UAS handler, a
 * registrar or a proxy calls them where it decides to. Over the public API,
 * {@link sip.router.auth.DigestAuthenticator#protect} guards a
 * {@link sip.router.RequestHandler}, and a user agent built with
 * {@link sip.router.UserAgent.Builder#credentials} answers the challenges its
 * {@link sip.router.Client} receives.
 */
package sip.router.auth;
