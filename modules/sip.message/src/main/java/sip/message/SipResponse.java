package sip.message;

/**
 * A SIP response.
 */
public sealed interface SipResponse extends SipMessage permits sip.message.internal.WireResponse {

    Status status();

    /** The status code. */
    default int statusCode() {
        return status().code();
    }

    /** A builder holding a copy of this response. */
    Builder toBuilder();

    /**
     * The response to {@code request} with {@code code} and its standard reason phrase, as RFC 3261
     * §8.2.6 says: Via values, From, To, Call-ID and CSeq copied; a To tag added when the request
     * had none (except for 100); Timestamp copied into 100 (§8.2.6.1); Record-Route copied into
     * 1xx/2xx responses to dialog-creating requests (§12.1.1).
     */
    static SipResponse forRequest(SipRequest request, int code) {
        return builder(request, code).build();
    }

    /** A builder pre-filled as {@link #forRequest(SipRequest, int)} describes. */
    static Builder builder(SipRequest request, int code) {
        return sip.message.internal.Builders.response(request, Status.of(code));
    }

    /** A builder for a response from scratch (needs From, To, Call-ID, CSeq, Via). */
    static Builder builder(Status status) {
        return sip.message.internal.Builders.response(status);
    }

    /** Builds a response. */
    interface Builder extends MessageBuilder<Builder, SipResponse> {
        Builder status(Status status);

        /** Sets the To tag. */
        Builder toTag(String tag);
    }
}
