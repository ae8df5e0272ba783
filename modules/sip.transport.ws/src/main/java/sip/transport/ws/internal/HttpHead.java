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
 * <p>Line ends (RFC 9112 §2.2): CRLF, or a bare LF, which a recipient MAY recognise as a line
 * terminator; we do, so an LF-only head is served at once (it used to wait out the handshake
 * deadline for a CRLFCRLF that never came), and an LF inside what a CRLF-only reader would take
 * for one field value is a line end here: the value seen is the part before it. A bare CR (not
 * followed by LF) is invalid (RFC 9112 §2.2 lets a recipient refuse it or read it as a space;
 * a value carrying one is the shape of header injection): the head is refused the moment the
 * byte after the CR is read.
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
     * The index just past the empty line ending the head, looked for in the new bytes
     * {@code b[from..to)} (those before were scanned already), or -1. A line ends with LF, a CR
     * before it ignored; each byte is checked against the one before it, so a bare CR fails the
     * head the moment it is known to be bare.
     */
    private static int endOfHead(byte[] b, int from, int to) throws HeadException {
        for (int i = from; i < to; i++) {
            boolean afterCr = i > 0 && b[i - 1] == '\r';
            if (b[i] == '\n') {
                int lineEnd = afterCr ? i - 1 : i; // where this line's content stops
                if (lineEnd == 0 || b[lineEnd - 1] == '\n') { // an empty line
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
        String text = new String(b, 0, end, StandardCharsets.US_ASCII);
        // Every CR is followed by LF (endOfHead refused the others); the empty last line is dropped.
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n")));
        String startLine = lines.isEmpty() ? "" : lines.removeFirst();
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
