package sip.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sip.message.StandardHeader;

/**
 * Finds the {@link StandardHeader} named by raw bytes without allocating: buckets by length and
 * first letter, then a case-insensitive byte compare.
 */
final class HeaderTable {
    private HeaderTable() {}

    static final StandardHeader[] VALUES = StandardHeader.values();
    private static final byte[][] LOWER = new byte[VALUES.length][];
    private static final StandardHeader[][] BUCKETS = new StandardHeader[32 * 32][];
    private static final StandardHeader[] BY_COMPACT = new StandardHeader[32];
    /** Open addressing by {@link #hash}: ordinal + 1, 0 for empty. */
    private static final byte[] SLOTS = new byte[256];

    static {
        List<List<StandardHeader>> lists = new ArrayList<>();
        for (int i = 0; i < BUCKETS.length; i++) {
            lists.add(null);
        }
        for (StandardHeader h : VALUES) {
            byte[] lower = h.canonical().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            LOWER[h.ordinal()] = lower;
            int k = bucket(lower.length, lower[0]);
            if (lists.get(k) == null) {
                lists.set(k, new ArrayList<>());
            }
            lists.get(k).add(h);
            if (h.compact() != 0) {
                BY_COMPACT[h.compact() & 31] = h;
            }
        }
        for (int i = 0; i < BUCKETS.length; i++) {
            if (lists.get(i) != null) {
                BUCKETS[i] = lists.get(i).toArray(new StandardHeader[0]);
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
            return lookup(b, from, to);
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

    private static int bucket(int len, byte first) {
        return (Math.min(len, 31) << 5) | (first | 0x20) & 31;
    }

    /** The ordinal of the standard header named {@code b[from, to)}, or -1. */
    static int lookup(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 1) {
            int c = b[from] | 0x20;
            if (c >= 'a' && c <= 'z') {
                StandardHeader h = BY_COMPACT[c & 31];
                return h == null ? -1 : h.ordinal();
            }
            return -1;
        }
        StandardHeader[] candidates = BUCKETS[bucket(len, b[from])];
        if (candidates == null) {
            return -1;
        }
        outer:
        for (StandardHeader h : candidates) {
            byte[] lower = LOWER[h.ordinal()];
            if (lower.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                int c = b[from + i];
                if (c >= 'A' && c <= 'Z') {
                    c |= 0x20;
                }
                if (c != lower[i]) {
                    continue outer;
                }
            }
            return h.ordinal();
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
