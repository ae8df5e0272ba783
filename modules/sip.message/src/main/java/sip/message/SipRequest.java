package sip.message;

/**
 * A SIP request. Build one with {@link #builder(Method, Uri)}; change one with
 * {@link #toBuilder()}.
 *
 * <pre>{@code
 * SipRequest invite = SipRequest.builder(Method.INVITE, SipUri.parse("sip:bob@example.com"))
 *     .from(NameAddress.of("Alice", SipUri.parse("sip:alice@example.com")).withTag("1928301774"))
 *     .to(NameAddress.of(SipUri.parse("sip:bob@example.com")))
 *     .callId("a84b4c76e66710@pc33.example.com")
 *     .cseq(314159)
 *     .build();
 * }</pre>
 */
public sealed interface SipRequest extends SipMessage permits sip.message.internal.WireRequest {

    Method method();

    /** The Request-URI. */
    Uri requestUri();

    /** A builder holding a copy of this request; untouched headers keep their original bytes. */
    Builder toBuilder();

    /**
     * A builder for a request. {@code build()} needs From, To, Call-ID and CSeq; Max-Forwards
     * defaults to 70; Via is left to the transport layer.
     */
    static Builder builder(Method method, Uri requestUri) {
        return sip.message.internal.Builders.request(method, requestUri);
    }

    /** Builds a request. Setters validate their input and return this builder. */
    interface Builder extends MessageBuilder<Builder, SipRequest> {
        Builder method(Method method);

        Builder requestUri(Uri uri);

        /** Sets CSeq to {@code sequence} and the request's method. */
        Builder cseq(long sequence);
    }
}
