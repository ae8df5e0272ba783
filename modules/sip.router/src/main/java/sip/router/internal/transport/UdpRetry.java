package sip.router.internal.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §18.1.1's way back to UDP: a request over the MTU goes over TCP, and when the attempt
 * to connect brings a TCP reset or an ICMP "protocol not supported" (a peer without TCP, such
 * as an RFC 2543 phone or a SIPp on UDP), the element SHOULD retry it over UDP, at its size
 * ({@link sip.transport.spi.Connection#sendAboveMtu}).
 *
 * <p>Which connect failures count: any socket-level refusal, reported as a
 * {@link SocketException} — refused (a reset, or ICMP port unreachable), protocol not available
 * (ICMP protocol unreachable), no route (ICMP host unreachable or administratively prohibited: a
 * firewall saying no to TCP). Not a timeout, whether the connect timer's or the kernel's: silence
 * says nothing about TCP support, only that packets are lost on the way or the host is down, and
 * the RFC names only answers; the destination has then failed like any other whose connection
 * cannot be opened (the next one is tried, RFC 3263 §4.3), rather than firing a fragmented
 * datagram into a path that drops packets after the connect timeout was already spent. Not this
 * side's own refusals either (connection limit, a closing transport).
 *
 * <p>Each retry is logged: at INFO the first time for a destination (remembered, at most
 * {@value #REMEMBERED} at a time), then at DEBUG, so a UDP-only phone that gets every call's
 * large INVITE this way is announced once, not once per call. Thread-safe.
 */
final class UdpRetry {

    private static final Logger LOG = LoggerFactory.getLogger(TransportLayer.class);
    static final int REMEMBERED = 256;

    private final Set<InetSocketAddress> announced = ConcurrentHashMap.newKeySet();

    /** Whether a failed TCP connect is the peer's (or its network's) answer that it takes no TCP. */
    static boolean applies(IOException connectFailure) {
        if (!(connectFailure instanceof SocketException)) {
            return false; // a timeout (SocketTimeoutException), a limit or a closed transport of ours
        }
        // The kernel's own SYN timeout (no connect timer set) comes as a ConnectException.
        String message = connectFailure.getMessage();
        return !(connectFailure instanceof ConnectException && message != null
                && message.toLowerCase(Locale.ROOT).contains("timed out"));
    }

    /** Logs that {@code size} bytes go to {@code destination} over UDP after {@code refusal}. */
    void retrying(InetSocketAddress destination, int size, IOException refusal) {
        if (announced.size() >= REMEMBERED) {
            announced.clear(); // forget and announce again, rather than grow or stay silent
        }
        if (announced.add(destination)) {
            LOG.info("request of {} bytes (over the MTU) sent over UDP to {}: it refused TCP ({}); RFC 3261 §18.1.1 retry."
                    + " Further ones to it are logged at DEBUG", size, destination, refusal.toString());
        } else {
            LOG.debug("request of {} bytes (over the MTU) sent over UDP to {}: it refused TCP ({})", size, destination,
                    refusal.toString());
        }
    }
}
