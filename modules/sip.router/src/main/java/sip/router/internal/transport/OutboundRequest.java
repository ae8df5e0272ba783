package sip.router.internal.transport;

import sip.message.SipRequest;
import sip.router.Destination;
import sip.transport.spi.Connection;

/**
 * A request ready to go: stamped with its top Via (fresh branch, rport) for the destination's
 * transport, the connection (flow) it goes out on, and its wire bytes. A client transaction sends
 * {@code bytes} on {@code connection} first and again for every retransmission (Timers A/E), so
 * retransmissions are byte-identical and take the same flow.
 */
public record OutboundRequest(SipRequest request, Destination destination, Connection connection, byte[] bytes) {
}
