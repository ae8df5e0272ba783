package sip.message.internal;

import sip.message.SipResponse;
import sip.message.Status;

/** A response backed by its wire bytes. (STUB) */
public final class WireResponse extends WireMessage implements SipResponse {
    WireResponse() {}

    @Override public Status status() { throw new UnsupportedOperationException(); }
    @Override public SipResponse.Builder toBuilder() { throw new UnsupportedOperationException(); }
}
