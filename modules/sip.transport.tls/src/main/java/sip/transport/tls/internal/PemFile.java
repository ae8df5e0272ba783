package sip.transport.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The blocks of a PEM file (RFC 7468) read as certificates or a PKCS#8 private key, with errors
 * that name the file and say what is wrong with it.
 */
final class PemFile {

    /** One {@code -----BEGIN label-----} ... {@code -----END label-----} block, decoded. */
    record Block(String label, byte[] der) {}

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /**
     * Key algorithms JSSE can sign a handshake with. A PKCS#8 encoding names its algorithm; each
     * key factory refuses encodings of another algorithm, so trying them in turn finds it.
     */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA");

    private final Path path;
    private final List<Block> blocks;

    private PemFile(Path path, List<Block> blocks) {
        this.path = path;
        this.blocks = blocks;
    }

    static PemFile read(Path path) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).strip())));
            } catch (IllegalArgumentException e) {
                throw new IOException("the " + m.group(1) + " block in " + path + " is not valid base64", e);
            }
        }
        return new PemFile(path, blocks);
    }

    /** Every {@code CERTIFICATE} block, in file order; at least one. */
    List<X509Certificate> certificates() throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IOException("no X.509 support in this JDK", e);
        }
        for (Block b : blocks) {
            if (b.label().equals("CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException e) {
                    throw new IOException("certificate " + (certificates.size() + 1) + " in " + path
                            + " is not a valid X.509 certificate: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + path + " (expected -----BEGIN CERTIFICATE----- blocks)");
        }
        return certificates;
    }

    /** The one PKCS#8 private key in the file, decrypted with {@code password} if it is encrypted. */
    PrivateKey privateKey(Optional<String> password) throws IOException {
        List<Block> keys = blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw new IOException("no private key in " + path + " (expected -----BEGIN PRIVATE KEY----- or "
                    + "-----BEGIN ENCRYPTED PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw new IOException(keys.size() + " private keys in " + path + "; expected one");
        }
        Block key = keys.getFirst();
        return switch (key.label()) {
            case "PRIVATE KEY" -> decode(new PKCS8EncodedKeySpec(key.der()));
            case "ENCRYPTED PRIVATE KEY" -> decode(decrypt(key.der(), password.orElseThrow(() -> new IOException(
                    "the private key in " + path + " is encrypted and no password was given"))));
            default -> throw new IOException("the private key in " + path + " is a '" + key.label()
                    + "' (PKCS#1/SEC1); convert it to PKCS#8: openssl pkcs8 -topk8 -in " + path.getFileName());
        };
    }

    private PKCS8EncodedKeySpec decrypt(byte[] der, String password) throws IOException {
        char[] chars = password.toCharArray();
        PBEKeySpec keySpec = new PBEKeySpec(chars);
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // For PBES2 (what openssl writes) the JDK names the whole scheme, e.g.
            // PBEWithHmacSHA256AndAES_256; the same name selects key factory and cipher.
            String scheme = info.getAlgName();
            Cipher cipher = Cipher.getInstance(scheme);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(scheme).generateSecret(keySpec),
                    info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (InvalidKeySpecException e) {
            throw new IOException("wrong password for the encrypted private key in " + path, e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("cannot decrypt the private key in " + path + ": " + e.getMessage(), e);
        } finally {
            keySpec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private PrivateKey decode(PKCS8EncodedKeySpec spec) throws IOException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException notThisAlgorithm) {
                // the next factory may know it
            }
        }
        throw new IOException("the private key in " + path + " is corrupt or of an unsupported algorithm"
                + " (supported: RSA, EC, Ed25519/Ed448, RSASSA-PSS, DSA)");
    }
}
