package sip.transport.tls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;

/**
 * Whether a private key belongs to a certificate's public key. Checked when a PEM key source is
 * read, so a key and chain that do not belong together fail at open, naming both files, instead of
 * every handshake failing later with a signature error.
 */
final class KeyPairs {

    private static final byte[] PROBE = "parley key check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairs() {
    }

    static boolean match(PrivateKey privateKey, PublicKey publicKey) {
        if (privateKey instanceof RSAKey rsaPrivate && publicKey instanceof RSAKey rsaPublic) {
            // RSA and RSASSA-PSS: a pair shares its modulus; no signature parameters to choose.
            return rsaPrivate.getModulus().equals(rsaPublic.getModulus());
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key of another algorithm or curve than the certificate's
        }
    }
}
