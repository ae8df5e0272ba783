package sip.message.internal;

/**
 * Character classes of the RFC 3261 §25 grammar as lookup tables over bytes, so the hot loops
 * test one array element per byte.
 */
public final class Grammar {
    private Grammar() {}

    /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
    public static final int TOKEN = 1;
    /** unreserved = alphanum / mark. */
    public static final int UNRESERVED = 1 << 1;
    /** user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/". */
    public static final int USER_UNRESERVED = 1 << 2;
    /** param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$". */
    public static final int PARAM_UNRESERVED = 1 << 3;
    /** hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$". */
    public static final int HNV_UNRESERVED = 1 << 4;
    /** word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"). */
    public static final int WORD = 1 << 5;
    /** ALPHA / DIGIT / "-" / "." (hostname characters; IPv4 too). */
    public static final int HOST = 1 << 6;
    /** reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / ",". */
    public static final int RESERVED = 1 << 7;
    /** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    public static final int SCHEME = 1 << 8;
    /** password chars: unreserved / "&" / "=" / "+" / "$" / ",". */
    public static final int PASSWORD = 1 << 9;
    /** HEXDIG. */
    public static final int HEX = 1 << 10;
    /** header-name characters = token. Kept separate for clarity at call sites. */
    public static final int DIGIT = 1 << 11;
    /** ALPHA. */
    public static final int ALPHA = 1 << 12;

    private static final int[] CLASS = new int[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            add(c, TOKEN | UNRESERVED | WORD | HOST | SCHEME | PASSWORD | ALPHA);
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            add(c, TOKEN | UNRESERVED | WORD | HOST | SCHEME | PASSWORD | ALPHA);
        }
        for (int c = '0'; c <= '9'; c++) {
            add(c, TOKEN | UNRESERVED | WORD | HOST | SCHEME | PASSWORD | HEX | DIGIT);
        }
        for (int c = 'a'; c <= 'f'; c++) {
            add(c, HEX);
        }
        for (int c = 'A'; c <= 'F'; c++) {
            add(c, HEX);
        }
        addAll("-.!%*_+`'~", TOKEN);
        addAll("-_.!~*'()", UNRESERVED | PASSWORD);
        addAll("&=+$,;?/", USER_UNRESERVED);
        addAll("[]/:&+$", PARAM_UNRESERVED);
        addAll("[]/?:+$", HNV_UNRESERVED);
        addAll("-.!%*_+`'~()<>:\\\"/[]?{}", WORD);
        addAll("-.", HOST);
        addAll(";/?:@&=+$,", RESERVED);
        addAll("+-.", SCHEME);
        addAll("&=+$,", PASSWORD);
    }

    private static void add(int c, int bits) {
        CLASS[c] |= bits;
    }

    private static void addAll(String chars, int bits) {
        for (int i = 0; i < chars.length(); i++) {
            CLASS[chars.charAt(i)] |= bits;
        }
    }

    /** True when byte {@code b} belongs to every class in {@code mask}... or any: see {@link #any}. */
    public static boolean is(byte b, int mask) {
        return (CLASS[b & 0xFF] & mask) != 0;
    }

    public static boolean is(int c, int mask) {
        return c >= 0 && c < 256 && (CLASS[c] & mask) != 0;
    }

    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!is(s.charAt(i), TOKEN)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isWord(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!is(s.charAt(i), WORD)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code s} is non-empty and holds only characters a host can: letters, digits,
     * "-", "." and, for IPv6 references, "[", "]" and ":". A character check, not the grammar.
     */
    public static boolean isHostText(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!is(c, HOST) && c != '[' && c != ']' && c != ':') {
                return false;
            }
        }
        return true;
    }

    /** True for SP and HTAB. */
    public static boolean isWsp(int c) {
        return c == ' ' || c == '\t';
    }

    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Refuses text for a header value or reason phrase that holds CR, LF or any other control
     * character but HTAB (RFC 3261 TEXT-UTF8 and LWS): nothing given through the API may break
     * or inject a line.
     */
    public static String requireText(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7F) {
                throw new IllegalArgumentException(what + " must not contain CR, LF or other control "
                    + "characters (header injection): \"" + value.replace("\r", "\\r").replace("\n", "\\n") + "\"");
            }
        }
        return value;
    }

    /** Refuses a value given through the API that could inject a header or a line. */
    public static String requireNoCrLf(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(
                    what + " must not contain CR, LF or NUL (header injection): \""
                        + value.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + "\"");
            }
        }
        return value;
    }
}
