package sip.message.internal;

import sip.message.Method;
import sip.message.SipRequest;
import sip.message.Uri;

/** A request backed by its wire bytes. (STUB) */
public final class WireRequest extends WireMessage implements SipRequest {
    WireRequest() {}

    @Override public Method method() { throw new UnsupportedOperationException(); }
    @Override public Uri requestUri() { throw new UnsupportedOperationException(); }
    @Override public SipRequest.Builder toBuilder() { throw new UnsupportedOperationException(); }
}
