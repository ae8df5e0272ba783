package sip.router;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import sip.message.SipUri;

/**
 * Finds where to send a request for a SIP URI (RFC 3263 §4): the ordered destinations to try.
 * The default ({@link #jdk()}) handles IP literals and names the JDK resolver knows (A/AAAA and
 * {@code /etc/hosts}); {@code sip.dns} provides the NAPTR/SRV implementation behind this same
 * interface.
 *
 * <p>Called on the thread that calls {@link Client#request}, {@link Client#send},
 * {@link Client#ack} or {@link Client#sendStateless}, which waits for it (and, over TCP/TLS, for
 * the connection to be opened); it may block, so callers that must not wait should call those
 * methods from a virtual thread of their own.
 */
@FunctionalInterface
public interface ServerLocator {

    /**
     * The destinations for {@code target}, most preferred first.
     *
     * <p>Transport choice per RFC 3263 §4.1: a {@code transport} URI parameter wins; a
     * {@code sips} URI needs TLS; otherwise, for a numeric host or a host with a port, UDP
     * (TCP for {@code sips}). Only {@code protocols} (the user agent's transports) may be returned.
     * Port: the URI's, else the protocol's default (5060, 5061 for TLS). A URI with
     * {@code maddr} is located by the maddr host.
     *
     * @param target the Request-URI or the first Route's URI
     * @param protocols the transport protocol names the caller can use
     * @return the destinations; empty when none can be used
     * @throws IOException when the host cannot be resolved; its message says why
     */
    List<Destination> locate(SipUri target, Set<String> protocols) throws IOException;

    /**
     * Where a response goes when the connection its request came in on is gone and the client's
     * {@code received} address cannot be reached (RFC 3263 §5): the Via's sent-by {@code host}
     * over {@code protocol}; with a {@code port} (≥ 0) its addresses at that port, without one
     * (-1) the servers that protocol's SRV records name (in the DNS implementation), else the
     * addresses at the protocol's default port.
     *
     * <p>The default resolves {@code host} with the JDK resolver.
     *
     * @param protocol the transport protocol name of the Via ({@code "udp"}, {@code "tcp"}, ...)
     * @param host the sent-by host: a name or an IP literal
     * @param port the sent-by port, or -1 when the Via has none
     * @return the destinations, most preferred first; empty when none can be used
     * @throws IOException when the host cannot be resolved; its message says why
     */
    default List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
        return sip.router.internal.JdkServerLocator.sentBy(protocol, host, port);
    }

    /** IP literals and JDK name resolution, no DNS SRV/NAPTR. */
    static ServerLocator jdk() {
        return sip.router.internal.JdkServerLocator.INSTANCE;
    }
}
