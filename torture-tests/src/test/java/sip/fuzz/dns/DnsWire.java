package sip.fuzz.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Just enough of the DNS wire format (RFC 1035 §4) for a hostile test server: reading the one
 * question of a query, and writing answers byte by byte, so that counts, lengths, names and
 * compression pointers can lie. No validation on purpose: this writes what it is told.
 */
final class DnsWire {
    static final int A = 1;
    static final int CNAME = 5;
    static final int SOA = 6;
    static final int TXT = 16;
    static final int AAAA = 28;
    static final int SRV = 33;
    static final int NAPTR = 35;
    static final int DNAME = 39;
    static final int OPT = 41;

    /** Header flag bits (RFC 1035 §4.1.1). */
    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;

    private DnsWire() {
    }

    /**
     * A query as the server saw it.
     *
     * @param question the question section as sent (name, type, class): echoed in answers
     * @param name the question name, lower case, dotted, without the final dot ("" for the root)
     * @param udpLimit the largest UDP answer the client takes: its EDNS payload size (RFC 6891), else 512
     */
    record Query(int id, int flags, byte[] question, String name, int type, int udpLimit) {
    }

    /** The query's first question, or null when the packet is not a query with one. */
    static Query parseQuery(byte[] packet, int length) {
        if (length < 12 + 5) {
            return null;
        }
        int id = u16(packet, 0);
        int flags = u16(packet, 2);
        if (u16(packet, 4) < 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int p = 12;
        while (true) {
            if (p >= length) {
                return null;
            }
            int len = packet[p++] & 0xff;
            if (len == 0) {
                break;
            }
            if (len > 63 || p + len > length) {
                return null;   // dnsjava never compresses a question
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(packet, p, len, StandardCharsets.ISO_8859_1));
            p += len;
        }
        if (p + 4 > length) {
            return null;
        }
        int type = u16(packet, p);
        byte[] question = java.util.Arrays.copyOfRange(packet, 12, p + 4);
        int udpLimit = 512;
        int opt = p + 4;   // an OPT record, if any, is the additional section's: root name, type 41, payload size as class
        if (u16(packet, 10) >= 1 && opt + 5 <= length && packet[opt] == 0 && u16(packet, opt + 1) == OPT) {
            udpLimit = Math.max(512, u16(packet, opt + 3));
        }
        return new Query(id, flags, question, name.toString().toLowerCase(Locale.ROOT), type, udpLimit);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    /**
     * A name as written: labels (any bytes, any length the fuzzer likes), then either the root
     * label or a compression pointer to {@code pointer} (RFC 1035 §4.1.4) when it is ≥ 0.
     */
    record Name(List<byte[]> labels, int pointer) {
        static final Name ROOT = new Name(List.of(), -1);
        /** The question's name, where every real server's answers point (offset 12). */
        static final Name QUESTION = new Name(List.of(), 12);

        static Name of(String dotted) {
            List<byte[]> labels = new ArrayList<>();
            if (!dotted.isEmpty() && !dotted.equals(".")) {
                for (String label : dotted.split("\\.")) {
                    labels.add(label.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            return new Name(labels, -1);
        }

        /** The name as text, for expected values; null when it holds a pointer. */
        String dotted() {
            if (pointer >= 0) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (byte[] l : labels) {
                parts.add(new String(l, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
            }
            return String.join(".", parts);
        }
    }

    /** Writes a message; {@link #rdataStart()}/{@link #rdataEnd} patch a record's RDLENGTH. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer u32(long v) {
            u16((int) (v >>> 16));
            return u16((int) v);
        }

        Writer bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** A character-string (RFC 1035 §3.3): length byte and at most 255 bytes. */
        Writer string(byte[] b) {
            int n = Math.min(255, b.length);
            out.write(n);
            out.write(b, 0, n);
            return this;
        }

        Writer name(Name name) {
            for (byte[] label : name.labels()) {
                int n = Math.min(255, label.length);
                out.write(n);   // > 63 is a lie the reader must refuse (or a pointer, for 192+)
                out.write(label, 0, n);
            }
            if (name.pointer() >= 0) {
                u16(0xC000 | (name.pointer() & 0x3fff));
            } else {
                out.write(0);
            }
            return this;
        }

        Writer header(int id, int flags, int qd, int an, int ns, int ar) {
            return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        }

        /** Owner, type, class IN, TTL; then the caller writes RDLENGTH through {@link #rdataStart}. */
        Writer recordHead(Name owner, int type, int dclass, long ttl) {
            return name(owner).u16(type).u16(dclass).u32(ttl);
        }

        /** Reserves RDLENGTH; returns where the RDATA starts. */
        int rdataStart() {
            u16(0);
            return out.size();
        }

        /** Patches RDLENGTH to the RDATA written since {@code start}, plus {@code lie}. */
        void rdataEnd(int start, int lie) {
            byte[] b = out.toByteArray();
            int len = Math.max(0, Math.min(65535, b.length - start + lie));
            b[start - 2] = (byte) (len >>> 8);
            b[start - 1] = (byte) len;
            out.reset();
            out.writeBytes(b);
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
