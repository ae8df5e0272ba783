package sip.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The Digest hash algorithms Parley speaks (RFC 7616 §6.1, RFC 8760 for SIP), weakest first so
 * that {@link #compareTo} orders them by strength. The {@code -sess} variants are not supported:
 * SIP deployments do not use them and RFC 8760 does not require them.
 */
public enum DigestAlgorithm {
    /** Kept for the installed base only; RFC 8760 §2.6 says to offer it last. */
    MD5("MD5", "MD5"),
    SHA_256("SHA-256", "SHA-256"),
    SHA_512_256("SHA-512-256", "SHA-512/256");

    private final String token;
    private final String jdkName;

    DigestAlgorithm(String token, String jdkName) {
        this.token = token;
        this.jdkName = jdkName;
    }

    /** The name written in the {@code algorithm} auth parameter. */
    public String token() {
        return token;
    }

    /**
     * The algorithm named {@code token} (case-insensitive); an absent parameter ({@code null})
     * means MD5 (RFC 7616 §3.3).
     */
    public static Optional<DigestAlgorithm> fromToken(String token) {
        if (token == null) {
            return Optional.of(MD5);
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(token)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The lowercase hex hash of {@code text} in UTF-8, the H() of RFC 7616 §3.4. */
    public String hash(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** H(username ":" realm ":" password), what a {@link CredentialStore} keeps. */
    public String ha1(String username, String realm, String password) {
        return hash(username + ":" + realm + ":" + password);
    }

    /**
     * The {@code response} value for {@code qop=auth} (RFC 7616 §3.4.1), or for the RFC 2069 form
     * when {@code qop} is null (then {@code nc} and {@code cnonce} are ignored).
     */
    public String response(String ha1, String nonce, String nc, String cnonce, String qop,
                           String method, String digestUri) {
        String ha2 = hash(method + ":" + digestUri);
        if (qop == null) {
            return hash(ha1 + ":" + nonce + ":" + ha2);
        }
        return hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE runtime must ship all three (java.security.MessageDigest javadoc).
            throw new IllegalStateException(jdkName + " missing from this runtime", e);
        }
    }
}
