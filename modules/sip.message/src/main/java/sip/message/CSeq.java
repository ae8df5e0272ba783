package sip.message;

import java.util.Objects;

/**
 * The CSeq value (RFC 3261 §20.16).
 *
 * @param sequence the sequence number, 0 to 2<sup>31</sup>-1
 * @param method the method
 */
public record CSeq(long sequence, Method method) {
    /** The largest sequence number RFC 3261 §8.1.1.5 allows. */
    public static final long MAX = 0x7FFF_FFFFL;

    public CSeq {
        Objects.requireNonNull(method, "method");
        if (sequence < 0 || sequence > MAX) {
            throw new IllegalArgumentException("CSeq must be 0.." + MAX + ": " + sequence);
        }
    }

    @Override
    public String toString() {
        return sequence + " " + method.name();
    }
}
