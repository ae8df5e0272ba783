package sip.router.registrar;

import java.util.Optional;
import java.util.function.IntFunction;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.transport.spi.Flow;

/**
 * Decides whether a REGISTER may change the bindings of its address-of-record: RFC 3261 §10.3
 * steps 3 (authenticate) and 4 (authorize). The {@link Registrar} calls it once the AoR is known
 * and before it reads or writes any binding. Digest authentication plugs in here.
 */
@FunctionalInterface
public interface RegisterAuthorizer {

    /**
     * Lets every request through, so anyone can bind any AoR to any contact (and hijack its
     * calls): for tests and closed networks only. A {@link Registrar} has no default authorizer,
     * so choosing this one is always written out.
     */
    static RegisterAuthorizer allowAll() {
        return (register, aor, flow, responses) -> Optional.empty();
    }

    /**
     * @param responses makes a response to {@code register} with a given status (with the server
     *     transaction's To tag when running in a handler)
     * @return empty to go on, or the response to send instead (a 401 challenge with
     *     {@code WWW-Authenticate}, a 403)
     */
    Optional<SipResponse.Builder> authorize(SipRequest register, AddressOfRecord aor, Flow flow,
                                            IntFunction<SipResponse.Builder> responses);
}
