package sip.router.registrar;

import java.util.List;
import sip.message.SipResponse;
import sip.message.Status;

/**
 * What {@link Registrar#process} made of one REGISTER: the response to send, and whether the
 * bindings were read or written.
 */
public sealed interface RegisterOutcome {

    /** The response to send, still open for more headers. */
    SipResponse.Builder response();

    /**
     * A 200: the bindings were added, refreshed, removed or merely queried.
     *
     * @param aor the address-of-record
     * @param bindings every current binding of {@code aor} after the request, by preference
     */
    record Accepted(AddressOfRecord aor, List<Binding> bindings, SipResponse.Builder response)
            implements RegisterOutcome {
        public Accepted {
            bindings = List.copyOf(bindings);
        }
    }

    /**
     * Refused with {@code status}; no binding changed.
     *
     * @param status the status of {@link #response}
     */
    record Rejected(Status status, SipResponse.Builder response) implements RegisterOutcome {
    }
}
