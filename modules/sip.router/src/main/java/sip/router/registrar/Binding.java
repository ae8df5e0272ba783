package sip.router.registrar;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import sip.message.NameAddress;
import sip.message.Uri;
import sip.transport.spi.Flow;

/**
 * One contact bound to an address-of-record (RFC 3261 §10.3 step 7): what the REGISTER said and
 * what the registrar decided. Times are on the {@link sip.router.Scheduler#nanoTime()} clock of
 * the registrar and location service, which must share one.
 *
 * @param contact the Contact value exactly as received: display name, URI (its parameters and
 *     escaped headers) and header parameters, the request's own {@code expires} and {@code q}
 *     included; what the registrar chose is in {@link #expiresAt} and {@link #q}
 * @param expiresAt when the binding ends, in scheduler nanoseconds
 * @param q the {@code q} parameter, 1.0 when absent (RFC 3261 §20.10 leaves the absent value to
 *     the registrar; treating it as the highest preference is what most registrars do)
 * @param callId the Call-ID of the REGISTER that last wrote this binding
 * @param cseq its CSeq sequence number
 * @param path the Path values of that REGISTER, in order (RFC 3327 §5.3); empty when none
 * @param flow the flow that REGISTER arrived on, so requests can go back over the same
 *     connection or NAT binding; null when unknown
 * @param updatedAt when the binding was last written, in scheduler nanoseconds (the tiebreak for
 *     equal {@code q}: the most recent first)
 */
public record Binding(NameAddress contact, long expiresAt, double q, String callId, long cseq,
                      List<NameAddress> path, Flow flow, long updatedAt) {

    public Binding {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(callId, "callId");
        path = List.copyOf(path);
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be 0..1: " + q);
        }
    }

    /** The contact URI, the binding's identity within its AoR (compared as RFC 3261 §19.1.4 says). */
    public Uri uri() {
        return contact.uri();
    }

    /** True when the binding has expired at {@code now} (scheduler nanoseconds). */
    public boolean isExpired(long now) {
        return now - expiresAt >= 0;
    }

    /** Time left at {@code now}, zero once expired. */
    public Duration remaining(long now) {
        return Duration.ofNanos(Math.max(0, expiresAt - now));
    }

    /**
     * Whole seconds left at {@code now}, rounded up so a binding still alive never reports 0 (which
     * a UA would read as "removed").
     */
    public long remainingSeconds(long now) {
        long nanos = Math.max(0, expiresAt - now);
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /** Order of lookups: q descending, then the most recently updated first. */
    static int preference(Binding a, Binding b) {
        int byQ = Double.compare(b.q, a.q);
        return byQ != 0 ? byQ : Long.compare(b.updatedAt, a.updatedAt);
    }
}
