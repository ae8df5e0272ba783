package sip.router.internal.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import sip.message.HeaderType;
import sip.message.SipRequest;
import sip.message.Via;

/**
 * What a server transport writes into the top Via of a request it received: {@code received}
 * when the sent-by host is not the source address (RFC 3261 §18.2.1; a name always differs), and
 * for an empty {@code rport} the source port plus {@code received} (RFC 3581 §4). Unchanged
 * values give back the very same object: most of a busy server's requests need no rebuild.
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
        boolean emptyRport = via.hasRport() && via.parameters().value("rport") == null;
        boolean differs = !sameAddress(via.host(), ip);
        Via out = via;
        if (differs || emptyRport) {
            String received = HostAddresses.receivedText(ip);
            if (!received.equals(via.received())) {
                out = out.withReceived(received);
            }
        }
        if (emptyRport) {
            out = out.withRport(source.getPort());
        }
        return out;
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
