package sip.router.internal.transport;

import sip.message.SipResponse;
import sip.transport.spi.Connection;

/**
 * A response sent per RFC 3261 §18.2.2: the connection it went out on and its wire bytes, so a
 * server transaction retransmits it (Timer G, or when a retransmitted request arrives) without
 * choosing the destination again.
 */
public record OutboundResponse(SipResponse response, Connection connection, byte[] bytes) {
}
