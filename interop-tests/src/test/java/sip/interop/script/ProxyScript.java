package sip.interop.script;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy of the repository's {@code examples/proxy.js} in a test's directory, and the edits an
 * operator makes to it while parley runs: an edited version that answers requests for one user
 * itself (everything else goes to the original handler), and a broken one.
 */
final class ProxyScript {

    /** The user the edited version answers itself: 404 (unknown) before the edit, 200 after. */
    static final String PROBE_USER = "probe";
    static final String EDIT_HEADER = "X-Script-Edit";

    private static final Pattern ON_REQUEST = Pattern.compile("export\\s+(async\\s+)?function\\s+onRequest\\s*\\(");

    private final Path file;
    private final String original;

    private ProxyScript(Path file, String original) {
        this.file = file;
        this.original = original;
    }

    /**
     * Copies {@code examples/proxy.js} to {@code dir/script/proxy.js}: a directory of its own,
     * since parley watches the script's whole directory and the peers write their logs in
     * {@code dir}.
     */
    static ProxyScript copyTo(Path dir) throws IOException {
        Path example = ParleyProcess.repositoryRoot().resolve("examples/proxy.js");
        if (!Files.isRegularFile(example)) {
            fail("no " + example + " (examples/proxy.js is part of the repository)");
        }
        String text = Files.readString(example, StandardCharsets.UTF_8);
        Path copy = Files.createDirectories(dir.resolve("script")).resolve("proxy.js");
        Files.writeString(copy, text, StandardCharsets.UTF_8);
        return new ProxyScript(copy, text);
    }

    Path file() {
        return file;
    }

    /**
     * The original with its {@code onRequest} renamed and a new exported one in front of it that
     * answers {@link #PROBE_USER} with {@code 200 Probed} and {@link #EDIT_HEADER}: {@code value}.
     */
    String edited(String value) {
        Matcher m = ON_REQUEST.matcher(original);
        if (!m.find()) {
            fail("examples/proxy.js has no 'export function onRequest(': the test cannot edit it");
        }
        String renamed = m.replaceFirst(Matcher.quoteReplacement((m.group(1) == null ? "" : m.group(1))
                + "function originalOnRequest("));
        return renamed + """

                // Added by the test while parley runs.
                export function onRequest(req, sip) {
                    if (req.uri.user === '%s') {
                        sip.reply(200, 'Probed', { '%s': '%s' });
                        return;
                    }
                    return originalOnRequest(req, sip);
                }
                """.formatted(PROBE_USER, EDIT_HEADER, value);
    }

    /** The original with a syntax error on line 1, column 7 ({@code const = 1;}). */
    String broken() {
        return "const = 1;\n" + original;
    }

    /** Writes {@code text} over the file in place (truncate and write, as many editors save). */
    void writeInPlace(String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Writes {@code text} to a temporary file beside it and renames that over it (as vim and IDEs "safe write"). */
    void writeByRename(String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The first 12 hex digits of the SHA-256 of {@code text} in UTF-8, as parley prints a loaded version. */
    static String sha12(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String originalText() {
        return original;
    }
}
