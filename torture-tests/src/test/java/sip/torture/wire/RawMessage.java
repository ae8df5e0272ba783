package sip.torture.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP message read the forgiving way a test peer needs: start line, unfolded header fields
 * under their long lower-case names, body. It reads the torture files (which Parley's parser is
 * meant to reject, some of them) to find where to send them and which answer is theirs, and the
 * server's responses, without trusting the parser under test to do either.
 *
 * @param startLine the first line, ISO-8859-1 (one char per byte)
 * @param fields header fields in order; values unfolded (CRLF + whitespace becomes one space) and
 *     trimmed
 * @param body the bytes after the empty line (all of them: datagram semantics)
 */
record RawMessage(String startLine, List<Field> fields, byte[] body) {

    record Field(String name, String value) {}

    /** The sent-by and transport of a Via value, with what decides where its response goes. */
    record SentBy(String transport, String host, OptionalInt port, boolean rport, Optional<String> maddr, String branch) {}

    private static final Map<String, String> COMPACT = Map.of(
            "v", "via", "i", "call-id", "l", "content-length", "m", "contact", "t", "to",
            "f", "from", "c", "content-type", "k", "supported", "s", "subject", "e", "content-encoding");
    private static final Pattern VIA = Pattern.compile(
            "SIP\\s*/\\s*[^/\\s]+\\s*/\\s*([^\\s;]+)\\s+(\\[[^\\]]*\\]|[^\\s;:]+)(?:\\s*:\\s*(\\d+))?(.*)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    static RawMessage parse(byte[] bytes) {
        int end = headerEnd(bytes);
        int headLength = end < 0 ? bytes.length : end - 4;
        String head = new String(bytes, 0, headLength, StandardCharsets.ISO_8859_1);
        byte[] body = end < 0 ? new byte[0] : Arrays.copyOfRange(bytes, end, bytes.length);
        String[] lines = head.split("\r\n", -1);
        List<String> folded = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (!folded.isEmpty() && (l.startsWith(" ") || l.startsWith("\t"))) {
                folded.set(folded.size() - 1, folded.getLast() + " " + l.strip());
            } else if (!l.isEmpty()) {
                folded.add(l);
            }
        }
        List<Field> fields = new ArrayList<>();
        for (String f : folded) {
            int colon = f.indexOf(':');
            if (colon > 0) {
                String name = f.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                fields.add(new Field(COMPACT.getOrDefault(name, name), f.substring(colon + 1).strip()));
            }
        }
        return new RawMessage(lines[0], List.copyOf(fields), body);
    }

    /** Index just after the CRLFCRLF that ends the header section, or -1. */
    static int headerEnd(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/");
    }

    /** The status code of a response, or -1 if the start line holds none that fits an int. */
    int status() {
        String[] parts = startLine.split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String method() {
        return startLine.split(" ", 2)[0];
    }

    List<String> values(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).map(Field::value).toList();
    }

    Optional<String> first(String name) {
        return values(name).stream().findFirst();
    }

    /** Every value of a list header, comma-split across fields (fine for Via; not for quoted text). */
    List<String> listValues(String name) {
        return values(name).stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** The first Via value, if it has the shape {@code SIP/2.0/TRANSPORT host[:port][;params]}. */
    Optional<SentBy> topVia() {
        List<String> vias = listValues("via");
        return vias.isEmpty() ? Optional.empty() : sentBy(vias.getFirst());
    }

    static Optional<SentBy> sentBy(String via) {
        Matcher m = VIA.matcher(via.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String params = m.group(4);
        OptionalInt port = m.group(3) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(3)));
        boolean rport = Pattern.compile(";\\s*rport\\s*(=|;|$)", Pattern.CASE_INSENSITIVE).matcher(params).find();
        return Optional.of(new SentBy(m.group(1).toUpperCase(Locale.ROOT), m.group(2), port, rport,
                param(params, "maddr"), param(params, "branch").orElse("")));
    }

    private static Optional<String> param(String params, String name) {
        Matcher m = Pattern.compile(";\\s*" + name + "\\s*=\\s*([^;,\\s]+)", Pattern.CASE_INSENSITIVE).matcher(params);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The tag parameter of the To value, if any. */
    Optional<String> toTag() {
        return first("to").flatMap(to -> {
            Matcher m = Pattern.compile(";\\s*tag\\s*=\\s*([^;,\\s>]+)\\s*(;|$)", Pattern.CASE_INSENSITIVE)
                    .matcher(to.substring(Math.max(0, to.lastIndexOf('>') + 1)));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        });
    }

    @Override
    public String toString() {
        return startLine;
    }
}
