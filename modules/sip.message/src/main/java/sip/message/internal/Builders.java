package sip.message.internal;

import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Status;
import sip.message.Uri;

/** Entry points of the message builders. (STUB) */
public final class Builders {
    private Builders() {}

    public static SipRequest.Builder request(Method method, Uri uri) { throw new UnsupportedOperationException(); }
    public static SipResponse.Builder response(SipRequest request, Status status) { throw new UnsupportedOperationException(); }
    public static SipResponse.Builder response(Status status) { throw new UnsupportedOperationException(); }
}
