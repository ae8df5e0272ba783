package sip.transport.loopback;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.transport.spi.Flow;

/**
 * One {@code mem} message as a {@link Rule} sees it on its way: which send it was, where it comes
 * from and goes to, and its bytes.
 */
public final class Packet {

    private static final SipParser PARSER = SipParser.lenient();

    private final long sequence;
    private final Flow flow;
    private final byte[] bytes;

    /**
     * @param sequence the number of the send on its network, from 0, both protocols counted
     * @param flow the sender's view: protocol, sender address, receiver address
     * @param bytes the message (copied)
     */
    public Packet(long sequence, Flow flow, byte[] bytes) {
        this.sequence = sequence;
        this.flow = Objects.requireNonNull(flow, "flow");
        this.bytes = bytes.clone();
    }

    public long sequence() {
        return sequence;
    }

    public Flow flow() {
        return flow;
    }

    /** The sender's address. */
    public InetSocketAddress from() {
        return flow.local();
    }

    /** The address the message is sent to. */
    public InetSocketAddress to() {
        return flow.remote();
    }

    /** A copy of the message's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The first line, without its line end: {@code INVITE sip:bob@example.com SIP/2.0} or
     * {@code SIP/2.0 200 OK}; the whole text if there is no line end.
     */
    public String startLine() {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\r' && bytes[end] != '\n') {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The message, parsed leniently; empty when the bytes are not a valid message. */
    public Optional<SipMessage> message() {
        return PARSER.parse(bytes.clone()) instanceof ParseResult.Parsed(SipMessage m)
                ? Optional.of(m) : Optional.empty();
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + flow + " " + startLine();
    }
}
