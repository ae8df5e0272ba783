package sip.transport.ws.internal;

/**
 * Which end of a WebSocket connection this is: it decides the masking rule (RFC 6455 §5.1).
 */
enum Role {
    /** Accepted the connection: expects every inbound frame masked, sends unmasked frames. */
    SERVER,
    /** Opened the connection: expects every inbound frame unmasked, sends masked frames. */
    CLIENT;

    /** Whether frames this end receives must carry a masking key. */
    boolean expectsMaskedFrames() {
        return this == SERVER;
    }

    /** Whether frames this end sends must carry a masking key. */
    boolean sendsMaskedFrames() {
        return this == CLIENT;
    }
}
