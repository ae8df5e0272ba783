package sip.router.internal.core;

import sip.message.SipUri;
import sip.transport.spi.Flow;

/** Where requests reach this agent, as the Contact of a response to a request over a flow. */
@FunctionalInterface
public interface ContactSource {

    /** The Contact URI for a dialog-creating response over {@code flow}; {@code sips} scheme if asked. */
    SipUri contactFor(Flow flow, boolean sips);
}
