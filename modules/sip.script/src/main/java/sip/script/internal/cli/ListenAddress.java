package sip.script.internal.cli;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code --listen} (or {@code config.listen}) address: {@code PROTO:HOST:PORT}, e.g.
 * {@code udp:127.0.0.1:5060}, {@code tls:[::1]:5061}, {@code wss:127.0.0.1:8443}; port 0 asks
 * for an ephemeral port.
 *
 * @param protocol the transport name, lower case ({@code udp}, {@code tcp}, {@code tls}, {@code ws},
 *     {@code wss}, ...)
 * @param host a host name, an IPv4 address or a bracketed IPv6 reference
 * @param port 0 to 65535
 */
record ListenAddress(String protocol, String host, int port) {

    static final String SYNTAX = "PROTO:HOST:PORT, e.g. udp:127.0.0.1:5060";

    ListenAddress {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
    }

    /**
     * Parses {@code PROTO:HOST:PORT}.
     *
     * @throws IllegalArgumentException saying what is wrong, without the value itself
     */
    static ListenAddress parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected " + SYNTAX);
        }
        String protocol = text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!protocol.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("bad protocol '" + protocol + "'; expected " + SYNTAX);
        }
        String hostPort = text.substring(colon + 1);
        int portColon = hostPort.lastIndexOf(':');
        if (portColon <= 0 || portColon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected " + SYNTAX);
        }
        String host = hostPort.substring(0, portColon);
        if (host.startsWith("[") != host.endsWith("]") || (!host.startsWith("[") && host.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("bad host '" + host + "' (an IPv6 address goes in brackets: udp:[::1]:5060)");
        }
        if (host.indexOf('[', 1) >= 0 || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad host '" + host + "'");
        }
        String digits = hostPort.substring(portColon + 1);
        if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port '" + digits + "'; expected 0 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port > 65535) {
            throw new IllegalArgumentException("bad port '" + digits + "'; expected 0 to 65535");
        }
        return new ListenAddress(protocol, host, port);
    }

    /** {@code HOST:PORT}, what {@code UserAgent.listen} takes. */
    String hostPort() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return protocol + ":" + host + ":" + port;
    }
}
