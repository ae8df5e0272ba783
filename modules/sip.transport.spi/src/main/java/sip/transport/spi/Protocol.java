package sip.transport.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * What a transport protocol is, as the stack needs to know it: its name (the Via transport token
 * and {@code transport=} URI parameter, lower case), whether it is reliable (no retransmission
 * timers, RFC 3261 §17.1.1.2), whether it is a byte stream (Content-Length framing), whether it is
 * secure ({@code sips}), and its default port.
 *
 * @param name lower-case protocol name, e.g. {@code udp}
 * @param reliable true if the transport retransmits by itself (TCP, TLS, WS, SCTP)
 * @param stream true if messages travel in a byte stream that must be framed by Content-Length
 * @param secure true if the transport is encrypted and authenticated (TLS, WSS)
 * @param defaultPort the port a URI without one means (RFC 3263 §4.2, RFC 7118)
 */
public record Protocol(String name, boolean reliable, boolean stream, boolean secure, int defaultPort) {

    public static final Protocol UDP = new Protocol("udp", false, false, false, 5060);
    public static final Protocol TCP = new Protocol("tcp", true, true, false, 5060);
    public static final Protocol TLS = new Protocol("tls", true, true, true, 5061);
    public static final Protocol WS = new Protocol("ws", true, false, false, 80);
    public static final Protocol WSS = new Protocol("wss", true, false, true, 443);

    public Protocol {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !name.chars().allMatch(Protocol::isTokenChar)) {
            throw new IllegalArgumentException("protocol name must be a non-empty SIP token: " + name);
        }
        name = name.toLowerCase(Locale.ROOT);
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("default port out of range: " + defaultPort);
        }
    }

    /** The name as it appears in a Via header: upper case ({@code SIP/2.0/UDP}). */
    public String viaToken() {
        return name.toUpperCase(Locale.ROOT);
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-.!%*_+`'~".indexOf(c) >= 0;
    }
}
