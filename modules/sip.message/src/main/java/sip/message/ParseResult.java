package sip.message;

import java.util.Optional;

/**
 * What a {@link SipParser} or {@link StreamFramer} made of some bytes. Malformed input is a value,
 * never an exception.
 */
public sealed interface ParseResult {

    /** A complete message. */
    record Parsed(SipMessage message) implements ParseResult {}

    /** The stream holds only part of a message; feed more bytes. */
    record NeedMore() implements ParseResult {}

    /**
     * A keep-alive between messages on a stream (RFC 5626 §3.5.1): a {@code CRLFCRLF} ping (answer
     * it with a {@code CRLF} pong), or a lone {@code CRLF} pong.
     */
    record KeepAlive(boolean ping) implements ParseResult {}

    /**
     * The bytes are not a valid message.
     *
     * @param error what is wrong, where, and the status to answer a request with
     * @param partialMessage the message as far as it could be read (start line and header index,
     *     so Via, Call-ID and CSeq may still serve to answer it), or null. When a request's start
     *     line itself is malformed (bad version, Request-URI in {@code <>}, extra spaces) but its
     *     method is readable, the partial carries the headers under the placeholder start line
     *     {@code METHOD sip:invalid SIP/2.0}: good for building the 400/505 answer, nothing else.
     */
    record Malformed(ParseError error, SipMessage partialMessage) implements ParseResult {
        public Optional<SipMessage> partial() {
            return Optional.ofNullable(partialMessage);
        }
    }
}
