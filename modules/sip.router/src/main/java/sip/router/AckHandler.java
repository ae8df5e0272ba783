package sip.router;

import sip.message.SipRequest;
import sip.transport.spi.Flow;

/**
 * Receives ACKs that are not part of a server transaction: the ACK for a 2xx (RFC 3261 §13.3.1.4,
 * a separate transaction of its own) or an ACK that matches nothing. Runs on a virtual thread;
 * exceptions are logged. ACKs are never answered.
 */
@FunctionalInterface
public interface AckHandler {
    void handle(SipRequest ack, Flow flow) throws Exception;
}
