package sip.router.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.internal.transport.HostAddresses;
import sip.transport.spi.Flow;

/**
 * One contact bound to an address-of-record (RFC 3261 §10.3 step 7): what the REGISTER said and
 * what the registrar decided. Times are instants on the {@link LocationService#clock()} of the
 * store that keeps the binding (epoch time, so a store shared by several processes can keep
 * them); the registrar writing to a store reads the time there.
 *
 * @param contact the Contact value exactly as received: display name, URI (its parameters and
 *     escaped headers) and header parameters, the request's own {@code expires} and {@code q}
 *     included; what the registrar chose is in {@link #expiresAt} and {@link #q}
 * @param expiresAt when the binding ends
 * @param q the {@code q} parameter, 1.0 when absent (RFC 3261 §20.10 leaves the absent value to
 *     the registrar; treating it as the highest preference is what most registrars do)
 * @param callId the Call-ID of the REGISTER that last wrote this binding
 * @param cseq its CSeq sequence number
 * @param path the Path values of that REGISTER, in order (RFC 3327 §5.3); empty when none. A
 *     proxy sends requests for this contact through them: they become its Route set, first
 *     entry first (RFC 3327 §5.3)
 * @param flow the flow that REGISTER arrived on (transport, local and remote address, and the
 *     connection for TCP/TLS), so a proxy can send requests back over the same connection or
 *     NAT binding, e.g. as a {@link sip.router.Destination}; null when unknown. A store
 *     outside this process keeps what it can of it; a flow whose connection closed is stale
 * @param updatedAt when the binding was last written (the tiebreak for equal {@code q}: the most
 *     recent first)
 */
public record Binding(NameAddress contact, Instant expiresAt, double q, String callId, long cseq,
                      List<NameAddress> path, Flow flow, Instant updatedAt) {

    public Binding {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
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

    /** True when the binding has expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Time left at {@code now}, zero once expired. */
    public Duration remaining(Instant now) {
        return isExpired(now) ? Duration.ZERO : Duration.between(now, expiresAt);
    }

    /**
     * Whole seconds left at {@code now}, rounded up so a binding still alive never reports 0 (which
     * a UA would read as "removed").
     */
    public long remainingSeconds(Instant now) {
        Duration left = remaining(now);
        return left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0);
    }

    /**
     * True when this binding can be reached only over its {@link #flow}: the flow is a WebSocket
     * one ({@code ws}, {@code wss}: a WebSocket client accepts no connection, RFC 7118 §5), or
     * the contact's host is a {@code *.invalid} name (RFC 6761 §6.4: never resolvable; what
     * JsSIP and SIP.js send). Such a binding is dead once its flow's connection closes, and
     * {@link Registrar#flowClosed} removes it then.
     */
    public boolean reachedOnlyOverFlow() {
        if (flow == null) {
            return false;
        }
        String protocol = flow.protocol().toLowerCase(Locale.ROOT);
        return protocol.equals("ws") || protocol.equals("wss")
                || uri() instanceof SipUri sip && HostAddresses.isInvalidName(sip.host());
    }

    /** Order of lookups: q descending, then the most recently updated first. */
    static int preference(Binding a, Binding b) {
        int byQ = Double.compare(b.q, a.q);
        return byQ != 0 ? byQ : b.updatedAt.compareTo(a.updatedAt);
    }
}
