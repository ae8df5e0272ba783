package sip.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import sip.message.StandardHeader;

/**
 * Finds the {@link StandardHeader} named by raw bytes without allocating: a hash computed while
 * the name is scanned, one probe in an open-addressing table, then a case-insensitive compare.
 */
final class HeaderTable {
    private HeaderTable() {}

    static final StandardHeader[] VALUES = StandardHeader.values();

    // Index ids (StandardHeader ordinals) of the headers the implementation checks by id.
    static final int VIA = StandardHeader.VIA.ordinal();
    static final int FROM = StandardHeader.FROM.ordinal();
    static final int TO = StandardHeader.TO.ordinal();
    static final int CALL_ID = StandardHeader.CALL_ID.ordinal();
    static final int CSEQ = StandardHeader.CSEQ.ordinal();
    static final int MAX_FORWARDS = StandardHeader.MAX_FORWARDS.ordinal();
    static final int TIMESTAMP = StandardHeader.TIMESTAMP.ordinal();
    static final int RECORD_ROUTE = StandardHeader.RECORD_ROUTE.ordinal();
    static final int CONTENT_LENGTH = StandardHeader.CONTENT_LENGTH.ordinal();
    private static final byte[][] LOWER = new byte[VALUES.length][];
    private static final StandardHeader[] BY_COMPACT = new StandardHeader[32];
    /** Open addressing by {@link #hash}: ordinal + 1, 0 for empty. */
    private static final byte[] SLOTS = new byte[256];

    static {
        for (StandardHeader h : VALUES) {
            LOWER[h.ordinal()] = h.canonical().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            if (h.compact() != 0) {
                BY_COMPACT[h.compact() & 31] = h;
            }
        }
        for (StandardHeader h : VALUES) {
            byte[] lower = LOWER[h.ordinal()];
            int slot = hash(lower, 0, lower.length) & 255;
            while (SLOTS[slot] != 0) {
                slot = (slot + 1) & 255;
            }
            SLOTS[slot] = (byte) (h.ordinal() + 1);
        }
    }

    /** The hash {@link MessageDecoder} computes while it scans a name: case-folded, per byte. */
    static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = step(h, b[i]);
        }
        return mix(h);
    }

    static int step(int h, byte c) {
        return h * 31 + (c | 0x20);
    }

    static int mix(int h) {
        return h ^ (h >>> 8) ^ (h >>> 16);
    }

    /**
     * The ordinal of the standard header named {@code b[from, to)} whose {@link #hash} is
     * {@code hash}, or -1. One probe and one compare for the common names.
     */
    static int lookup(byte[] b, int from, int to, int hash) {
        int len = to - from;
        if (len == 1) {
            return compact(b[from]);
        }
        int slot = hash & 255;
        int v;
        while ((v = SLOTS[slot]) != 0) {
            byte[] lower = LOWER[v - 1];
            if (lower.length == len && sameIgnoringCase(lower, b, from)) {
                return v - 1;
            }
            slot = (slot + 1) & 255;
        }
        return -1;
    }

    private static boolean sameIgnoringCase(byte[] lower, byte[] b, int from) {
        for (int i = 0; i < lower.length; i++) {
            int c = b[from + i];
            if (c != lower[i] && (c | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** The ordinal of the standard header whose compact form is the one byte {@code c}, or -1. */
    private static int compact(byte c) {
        int l = c | 0x20;
        if (l >= 'a' && l <= 'z') {
            StandardHeader h = BY_COMPACT[l & 31];
            return h == null ? -1 : h.ordinal();
        }
        return -1;
    }

    /** True when {@code b[from, to)} equals {@code name} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int c = b[from + i];
            int d = name.charAt(i);
            if (c != d && ((c | 0x20) != (d | 0x20) || !Character.isLetter(d))) {
                return false;
            }
        }
        return true;
    }
}
