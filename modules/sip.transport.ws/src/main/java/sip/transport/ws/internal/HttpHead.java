package sip.transport.ws.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The head of an HTTP/1.1 request or response (RFC 9112 §2): its start line and header fields,
 * read from a socket up to the empty line, never more than {@link #MAX_BYTES}. Bytes read past the
 * head (a peer's first WebSocket frames) are kept in {@link #rest()}.
 *
 * <p>Every line ends with CRLF. A bare CR or a bare LF anywhere in the head is refused as soon as
 * it is read: RFC 9112 §2.2 lets a recipient either take a bare CR as invalid or a bare LF as a
 * line end; we take neither, since a field value carrying a bare CR or LF is the shape of header
 * injection, and browsers and WebSocket clients all send CRLF. Refusing at the byte, not at the
 * end of the head, means an LF-only head gets its 400 at once instead of waiting out the
 * handshake deadline for a CRLFCRLF that never comes.
 *
 * @param startLine the request line or status line
 * @param fields header fields by lower-case name; repeated fields joined with {@code ", "}
 * @param repeated the lower-case names of fields given on more than one line
 * @param rest bytes read after the empty line
 */
record HttpHead(String startLine, Map<String, String> fields, Set<String> repeated, byte[] rest) {

    /** The largest head read: a larger one is refused (431), not buffered. */
    static final int MAX_BYTES = 8192;
    private static final int READ_CHUNK = 2048;

    /** Why a head could not be read. */
    enum Problem {
        /** The peer closed before the head ended. */
        TRUNCATED,
        /** No empty line within {@link #MAX_BYTES}. */
        TOO_LARGE,
        /** Not HTTP: a field line without a colon, folding, a bare CR or LF, or bytes that are not text. */
        MALFORMED
    }

    /** A head that could not be read. */
    static final class HeadException extends IOException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        HeadException(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }

    /**
     * Reads a head from {@code in}. Reads in chunks, so it may read past the head: those bytes are
     * {@link #rest()}.
     */
    static HttpHead read(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_BYTES + READ_CHUNK];
        int length = 0;
        int scanned = 0;
        while (true) {
            int n = in.read(buffer, length, Math.min(READ_CHUNK, buffer.length - length));
            if (n < 0) {
                throw new HeadException(Problem.TRUNCATED, length == 0 ? "closed before sending anything"
                        : "closed after " + length + " bytes, before the head ended");
            }
            length += n;
            int end = endOfHead(buffer, scanned, length);
            if (end >= 0) {
                if (end > MAX_BYTES) {
                    throw tooLarge();
                }
                return parse(buffer, end, Arrays.copyOfRange(buffer, end, length));
            }
            scanned = length;
            if (length >= MAX_BYTES) {
                throw tooLarge();
            }
        }
    }

    private static HeadException tooLarge() {
        return new HeadException(Problem.TOO_LARGE, "the head is larger than " + MAX_BYTES + " bytes");
    }

    /**
     * The index just past the CRLFCRLF ending the head, looked for in the new bytes
     * {@code b[from..to)} (those before were scanned already), or -1; each byte is checked against
     * the byte before it, so a bare CR or LF fails the head the moment it is read.
     */
    private static int endOfHead(byte[] b, int from, int to) throws HeadException {
        for (int i = from; i < to; i++) {
            boolean afterCr = i > 0 && b[i - 1] == '\r';
            if (b[i] == '\n') {
                if (!afterCr) {
                    throw new HeadException(Problem.MALFORMED, "a bare LF at byte " + i
                            + ": lines end with CRLF (RFC 9112 §2.2)");
                }
                if (i >= 3 && b[i - 2] == '\n') { // b[i-3] is CR: every LF before was checked
                    return i + 1;
                }
            } else if (afterCr) {
                throw new HeadException(Problem.MALFORMED, "a bare CR at byte " + (i - 1)
                        + " (RFC 9112 §2.2)");
            }
        }
        return -1;
    }

    private static HttpHead parse(byte[] b, int end, byte[] rest) throws HeadException {
        for (int i = 0; i < end; i++) {
            int c = b[i] & 0xff;
            if (c == 0 || c >= 0x80 || (c < ' ' && c != '\r' && c != '\n' && c != '\t')) {
                throw new HeadException(Problem.MALFORMED, "byte 0x" + Integer.toHexString(c) + " in the head");
            }
        }
        String text = new String(b, 0, end - 4, StandardCharsets.US_ASCII);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n", -1)));
        String startLine = lines.removeFirst();
        Map<String, String> fields = new LinkedHashMap<>();
        Set<String> repeated = new HashSet<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new HeadException(Problem.MALFORMED, "folded or empty field line"); // RFC 9112 §5.2
            }
            if (colon <= 0 || line.substring(0, colon).chars().anyMatch(ch -> ch <= ' ')) {
                throw new HeadException(Problem.MALFORMED, "not a field line: " + abbreviate(line));
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (fields.containsKey(name)) {
                repeated.add(name);
            }
            fields.merge(name, value, (a, v) -> a + ", " + v);
        }
        return new HttpHead(startLine, fields, Set.copyOf(repeated), rest);
    }

    Optional<String> field(String lowerCaseName) {
        return Optional.ofNullable(fields.get(lowerCaseName));
    }

    /**
     * True if the comma-separated field {@code name} lists {@code token}; compared without case
     * when {@code ignoreCase} (HTTP tokens), exactly otherwise (WebSocket subprotocols).
     */
    boolean lists(String name, String token, boolean ignoreCase) {
        String value = fields.get(name);
        if (value == null) {
            return false;
        }
        for (String item : value.split(",")) {
            String t = item.strip();
            if (ignoreCase ? t.equalsIgnoreCase(token) : t.equals(token)) {
                return true;
            }
        }
        return false;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
