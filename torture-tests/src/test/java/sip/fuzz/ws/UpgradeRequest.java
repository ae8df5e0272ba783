package sip.fuzz.ws;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An opening handshake request (RFC 6455 §4.1) built from fuzzer-chosen parts, with what a
 * correct server must do with it for the {@link WsBed}'s listener: accept it, refuse it (with
 * the statuses its faults call for), or either, where the RFCs leave the choice open (a repeated
 * Host or key, an unpadded key, obs-text, folded lines, {@code SIP} in capitals, sizes at the
 * 8 KiB edge, bare LF line ends).
 *
 * @param bytes what is sent
 * @param faults why a correct server must refuse it (empty: it must not, unless ambiguous)
 * @param ambiguous the RFCs let a server go either way on something in it
 */
record UpgradeRequest(byte[] bytes, Set<Fault> faults, boolean ambiguous, String summary) {

    /** What makes a request refused, and the statuses a server may refuse it with. */
    enum Fault {
        METHOD(400), HTTP_VERSION(400), TARGET(400, 404), PATH(404), HOST(400), NOT_AN_UPGRADE(426, 400),
        VERSION(426, 400), KEY(400), ORIGIN(403), NO_SIP(400), BAD_LINE(400), TOO_LARGE(431);

        final Set<Integer> statuses;

        Fault(Integer... statuses) {
            this.statuses = Set.of(statuses);
        }
    }

    enum Expect { ACCEPT, REFUSE, EITHER }

    private static final int HEAD_LIMIT = 8192;

    /** Bytes that are whatever the fuzzer made them: any answer, checked for consistency only. */
    static UpgradeRequest raw(byte[] bytes) {
        return new UpgradeRequest(bytes, EnumSet.noneOf(Fault.class), true, "raw bytes");
    }

    Expect expectation() {
        if (!faults.isEmpty()) {
            return Expect.REFUSE;
        }
        return ambiguous ? Expect.EITHER : Expect.ACCEPT;
    }

    /** The statuses a refusal may have; empty for any refusal. */
    Set<Integer> refusalStatuses() {
        if (faults.contains(Fault.TOO_LARGE)) {
            return Fault.TOO_LARGE.statuses; // the head is refused before anything in it is read
        }
        if (ambiguous || faults.isEmpty()) {
            return Set.of();
        }
        Set<Integer> s = new HashSet<>();
        faults.forEach(f -> s.addAll(f.statuses));
        return s;
    }

    /**
     * True if an empty line ends a head within the limit: a server has something to answer. Line
     * ends are CRLF or a bare LF, which a server MAY take as one (RFC 9112 §2.2) and Parley's does.
     */
    boolean headEnds() {
        return endOfHead() >= 0 || bytes.length >= HEAD_LIMIT;
    }

    /** Where the head's lines end: the index of the LF that ends its last line, or -1. */
    private int endOfHead() {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            int next = i + 1;
            if (next < bytes.length && bytes[next] == '\r') {
                next++;
            }
            if (next < bytes.length && bytes[next] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The lines of the head (up to the first empty line; CRLF or LF line ends), or none. */
    private List<String> lines() {
        int end = endOfHead();
        if (end < 0) {
            return List.of();
        }
        int last = end > 0 && bytes[end - 1] == '\r' ? end - 1 : end; // the last line's CR, if any
        return List.of(new String(bytes, 0, last, StandardCharsets.ISO_8859_1).split("\r?\n", -1));
    }

    /** The values of header {@code name} in the head, case-insensitively, comma lists split. */
    private List<String> values(String name) {
        List<String> v = new ArrayList<>();
        for (String line : lines()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                for (String item : line.substring(colon + 1).split(",")) {
                    v.add(item.strip());
                }
            }
        }
        return v;
    }

    /** Every Sec-WebSocket-Key value sent. */
    List<String> keys() {
        return values("Sec-WebSocket-Key");
    }

    /**
     * Read from the bytes, independently of how they were made: what a 101 needs is there (a GET,
     * the upgrade tokens, version 13, a key of 16 bytes, the {@code sip} subprotocol).
     */
    boolean offersEverything() {
        List<String> lines = lines();
        return !lines.isEmpty() && lines.getFirst().startsWith("GET ")
                && values("Upgrade").stream().anyMatch("websocket"::equalsIgnoreCase)
                && values("Connection").stream().anyMatch("upgrade"::equalsIgnoreCase)
                && values("Sec-WebSocket-Version").contains("13")
                && keys().stream().anyMatch(UpgradeRequest::sixteenBytes)
                && values("Sec-WebSocket-Protocol").stream().anyMatch("sip"::equalsIgnoreCase);
    }

    private static boolean sixteenBytes(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    String describe() {
        String text = new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r").replace("\n", "\\n\n");
        return summary + " " + faults + (ambiguous ? " ambiguous" : "") + " (" + bytes.length + " bytes):\n" + text;
    }

    /** A request from parts the fuzzer picks. */
    static UpgradeRequest draw(FuzzedDataProvider data) {
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        boolean[] ambiguous = {false};
        StringBuilder summary = new StringBuilder();

        String method = pick(data, faults, Fault.METHOD, "GET", "get", "POST", "HEAD", "CONNECT");
        String target = data.consumeInt(0, 3) != 0 ? WsBed.PATH : switch (data.consumeInt(0, 8)) {
            case 0 -> WsBed.PATH + "?transport=ws";
            case 1 -> "http://127.0.0.1" + WsBed.PATH;
            case 2 -> fault(faults, Fault.PATH, "/WS");
            case 3 -> fault(faults, Fault.PATH, "/");
            case 4 -> fault(faults, Fault.PATH, WsBed.PATH + "/");
            case 5 -> fault(faults, Fault.TARGET, "*");
            case 6 -> fault(faults, Fault.TARGET, "");
            case 7 -> fault(faults, Fault.TARGET, WsBed.PATH + "#f");
            default -> fault(faults, Fault.PATH, "/sip");
        };
        String version = data.consumeInt(0, 3) != 0 ? "HTTP/1.1" : switch (data.consumeInt(0, 4)) {
            case 0 -> "HTTP/1.2"; // a later 1.x is served as 1.1 (RFC 9110 §2.5)
            case 1 -> fault(faults, Fault.HTTP_VERSION, "HTTP/1.0");
            case 2 -> fault(faults, Fault.HTTP_VERSION, "HTTP/2.0");
            case 3 -> fault(faults, Fault.HTTP_VERSION, "http/1.1");
            default -> fault(faults, Fault.HTTP_VERSION, "HTTP/1");
        };

        List<String[]> headers = new ArrayList<>();
        // Host: required (RFC 9112 §3.2); a second one is for the server to judge.
        if (data.consumeInt(0, 9) == 0) {
            faults.add(Fault.HOST);
        } else {
            headers.add(new String[] {"Host", data.pickValue(List.of("127.0.0.1", "sip.test:80", "", "[::1]"))});
        }
        boolean[] upgrade = {false};
        addList(data, headers, "Upgrade", List.of("websocket", "WebSocket", "WEBSOCKET", "h2c", "foo/1"),
                t -> upgrade[0] |= t.equalsIgnoreCase("websocket"), 0);
        boolean[] connection = {false};
        addList(data, headers, "Connection", List.of("Upgrade", "upgrade", "keep-alive", "close", "Upgraded"),
                t -> connection[0] |= t.equalsIgnoreCase("upgrade"), 0);
        if (!upgrade[0] || !connection[0]) {
            faults.add(Fault.NOT_AN_UPGRADE);
        }
        switch (data.consumeInt(0, 9)) {
            case 0 -> faults.add(Fault.VERSION);
            case 1 -> headers.add(new String[] {"Sec-WebSocket-Version", fault(faults, Fault.VERSION,
                    data.pickValue(List.of("8", "", "013", "14", "thirteen")))});
            case 2 -> {
                headers.add(new String[] {"Sec-WebSocket-Version", "13, 8"});
                ambiguous[0] = true;
            }
            default -> headers.add(new String[] {"Sec-WebSocket-Version", data.pickValue(List.of("13", " 13", "13\t"))});
        }
        switch (data.consumeInt(0, 11)) {
            case 0 -> faults.add(Fault.KEY);
            case 1 -> headers.add(new String[] {"Sec-WebSocket-Key", fault(faults, Fault.KEY,
                    Base64.getEncoder().encodeToString(data.consumeBytes(15)))});
            case 2 -> headers.add(new String[] {"Sec-WebSocket-Key", fault(faults, Fault.KEY,
                    Base64.getEncoder().encodeToString(padded(data.consumeBytes(17), 17)))});
            case 3 -> headers.add(new String[] {"Sec-WebSocket-Key", fault(faults, Fault.KEY,
                    data.pickValue(List.of("", "not base64!", "dGhlIHNhbXBsZSBub25jZQ=", "*")))});
            case 4 -> {
                headers.add(new String[] {"Sec-WebSocket-Key",
                        Base64.getEncoder().withoutPadding().encodeToString(padded(data.consumeBytes(16), 16))});
                ambiguous[0] = true;
            }
            default -> headers.add(new String[] {"Sec-WebSocket-Key",
                    Base64.getEncoder().encodeToString(padded(data.consumeBytes(16), 16))});
        }
        boolean[] sip = {false};
        boolean[] capitalSip = {false};
        addList(data, headers, "Sec-WebSocket-Protocol", List.of("sip", "sip", "SIP", "sips", "foo", "msrp"), t -> {
            sip[0] |= t.equals("sip");
            capitalSip[0] |= t.equalsIgnoreCase("sip") && !t.equals("sip");
        }, 1);
        if (!sip[0]) {
            if (capitalSip[0]) {
                ambiguous[0] = true; // subprotocol names are case-sensitive (RFC 6455 §4.1), a server may still be kind
            } else {
                faults.add(Fault.NO_SIP);
            }
        }
        switch (data.consumeInt(0, 7)) {
            case 0 -> headers.add(new String[] {"Origin", WsBed.ORIGIN});
            case 1 -> headers.add(new String[] {"Origin", WsBed.ORIGIN.toUpperCase(Locale.ROOT)});
            case 2 -> headers.add(new String[] {"Origin", fault(faults, Fault.ORIGIN,
                    data.pickValue(List.of("https://evil.example", "null", WsBed.ORIGIN + ":8443", "http://phone.example")))});
            default -> { }
        }
        if (data.consumeInt(0, 3) == 0) {
            headers.add(new String[] {"Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"});
        }
        switch (data.consumeInt(0, 11)) {
            case 0 -> {
                String junk = data.consumeAsciiString(40).replace("\r", "").replace("\n", "");
                headers.add(new String[] {"X-Junk", junk});
                // Other controls in a value are invalid, but a recipient MAY keep them (RFC 9110 §5.5).
                ambiguous[0] |= junk.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7F);
            }
            case 1 -> {
                headers.add(new String[] {"X-Obs", "caf\u00e9"}); // obs-text: allowed in a value (RFC 9110 §5.5), or refused
                ambiguous[0] = true;
            }
            case 2 -> {
                headers.add(new String[] {"X-Folded", "a\r\n b"}); // obs-fold: 400 or read as a space (RFC 9112 §5.2)
                ambiguous[0] = true;
            }
            case 3 -> headers.add(new String[] {fault(faults, Fault.BAD_LINE, "X-Space "), "v"}); // RFC 9112 §5.1: 400
            case 4 -> headers.add(new String[] {fault(faults, Fault.BAD_LINE, "no colon here"), null});
            default -> { }
        }
        // Repeated fields: list fields combine (RFC 9110 §5.3); a second Host, key, version or origin is for the server to judge.
        if (!headers.isEmpty() && data.consumeInt(0, 5) == 0) {
            String[] again = headers.get(data.consumeInt(0, headers.size() - 1));
            headers.add(again.clone());
            String name = again[0].toLowerCase(Locale.ROOT);
            if (Set.of("host", "sec-websocket-key", "sec-websocket-version", "origin").contains(name)) {
                ambiguous[0] = true;
            }
        }
        // Any order, names in any case (RFC 9110 §5.1).
        for (int i = headers.size() - 1; i > 0; i--) {
            Collections.swap(headers, i, data.consumeInt(0, i));
        }
        for (String[] h : headers) {
            if (h[1] != null) {
                h[0] = switch (data.consumeInt(0, 5)) {
                    case 0 -> h[0].toLowerCase(Locale.ROOT);
                    case 1 -> h[0].toUpperCase(Locale.ROOT);
                    default -> h[0];
                };
            }
        }
        int pad = data.consumeInt(0, 11) == 0 ? data.consumeInt(0, 9000) : 0;
        boolean bareLf = data.consumeInt(0, 31) == 0;

        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        for (String[] h : headers) {
            b.append(h[1] == null ? h[0] : h[0] + ": " + h[1]).append("\r\n");
        }
        if (pad > 0) {
            b.append("X-Pad: ").append("x".repeat(pad)).append("\r\n");
        }
        b.append("\r\n");
        String text = bareLf ? b.toString().replace("\r\n", "\n") : b.toString();
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length > HEAD_LIMIT + 8) {
            faults.add(Fault.TOO_LARGE);
        } else if (bytes.length >= HEAD_LIMIT - 8) {
            ambiguous[0] = true; // at the edge: where a server counts the limit from is its own choice
        }
        if (bareLf) {
            ambiguous[0] = true; // RFC 9112 §2.2: a server MAY take a bare LF as a line end
            faults.remove(Fault.NOT_AN_UPGRADE); // and only then sees anything of the request
            faults.retainAll(EnumSet.of(Fault.TOO_LARGE));
        }
        summary.append(method).append(' ').append(target).append(' ').append(version);
        return new UpgradeRequest(bytes, faults, ambiguous[0], summary.toString());
    }

    private static byte[] padded(byte[] b, int n) {
        return b.length == n ? b : java.util.Arrays.copyOf(b, n);
    }

    private static String pick(FuzzedDataProvider data, Set<Fault> faults, Fault fault, String good, String... bad) {
        if (data.consumeInt(0, 7) != 0) {
            return good;
        }
        return fault(faults, fault, data.pickValue(bad));
    }

    private static String fault(Set<Fault> faults, Fault fault, String value) {
        faults.add(fault);
        return value;
    }

    /**
     * A comma-separated list field of 0 to 3 tokens (none: the field is absent, or present and
     * empty), with the separators HTTP allows, maybe over two field lines.
     */
    private static void addList(FuzzedDataProvider data, List<String[]> headers, String name, List<String> tokens,
                                java.util.function.Consumer<String> seen, int goodIndex) {
        int count = data.consumeInt(0, 5) == 0 ? data.consumeInt(0, 3) : 1;
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(count == 1 && data.consumeInt(0, 3) != 0 ? tokens.get(goodIndex) : data.pickValue(tokens));
        }
        chosen.forEach(seen);
        if (chosen.isEmpty()) {
            if (data.consumeBoolean()) {
                headers.add(new String[] {name, ""});
            }
            return;
        }
        if (chosen.size() > 1 && data.consumeBoolean()) {
            headers.add(new String[] {name, chosen.getFirst()});
            headers.add(new String[] {name, String.join(",", chosen.subList(1, chosen.size()))});
            return;
        }
        headers.add(new String[] {name, String.join(data.pickValue(List.of(", ", ",", " ,\t")), chosen)});
    }
}
