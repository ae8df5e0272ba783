package sip.router.internal.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import sip.message.HeaderType;
import sip.message.SipRequest;
import sip.message.Via;

/**
 * What a server transport writes into the top Via of a request it received. The packet's source
 * is the only truth: {@code received} is always the source address (RFC 3261 §18.2.1) and
 * {@code rport} the source port (RFC 3581 §4); whatever the sender wrote there itself is replaced,
 * else a forged {@code received}/{@code rport=value} would aim our responses and their
 * retransmissions (Timer G, 2xx resends) at a third party: reflected, amplified traffic.
 *
 * <p>With {@code rport} (any value): {@code received} and {@code rport} are both set to the source.
 * Without: {@code received} is set when the sent-by host is not the source (a name always differs)
 * or a {@code received} is present; a present one that is wrong while the host is the source is
 * removed. A Via that already reads right is given back as the very same object: most of a busy
 * server's requests need no rebuild.
 */
final class ReceivedStamp {

    private ReceivedStamp() {
    }

    /**
     * The Via as it should read for a request from {@code source}; {@code via} itself when
     * nothing changes.
     */
    static Via apply(Via via, InetSocketAddress source) {
        InetAddress ip = source.getAddress();
        String present = via.received();
        if (via.hasRport()) {
            OptionalInt rport = via.rport();
            boolean rportRight = rport.isPresent() && rport.getAsInt() == source.getPort();
            String received = HostAddresses.receivedText(ip);
            boolean receivedRight = received.equals(present);
            if (rportRight && receivedRight) {
                return via;
            }
            Via out = receivedRight ? via : via.withReceived(received);
            return rportRight ? out : out.withRport(source.getPort());
        }
        boolean differs = !sameAddress(via.host(), ip);
        if (!differs && present == null) {
            return via;
        }
        String received = HostAddresses.receivedText(ip);
        if (received.equals(present)) {
            return via;
        }
        if (differs) {
            return via.withReceived(received);
        }
        // The host is the source and the received is someone else's: drop it, as if never sent.
        return new Via(via.protocol(), via.transport(), via.host(), via.port(), via.parameters().without("received"));
    }

    /** The request with its top Via replaced by {@link #apply}'s, or the request itself. */
    static SipRequest apply(SipRequest request, InetSocketAddress source) {
        Via top = request.topVia();
        Via stamped = apply(top, source);
        if (stamped == top) {
            return request;
        }
        return request.toBuilder().removeFirst(HeaderType.VIA).addFirst(HeaderType.VIA, stamped).build();
    }

    private static boolean sameAddress(String host, InetAddress ip) {
        // The common case first: an IPv4 sent-by written as the JDK writes it, no parsing.
        if (host.equals(ip.getHostAddress())) {
            return true;
        }
        InetAddress literal = HostAddresses.literal(host);
        return literal != null && literal.equals(ip);
    }
}
