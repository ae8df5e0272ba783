package sip.router.internal.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A listening address as text: {@code 127.0.0.1:5060}, {@code [::1]:5060}, {@code localhost:0}.
 *
 * @param host an IP literal (IPv6 without brackets) or a name
 * @param port 0 to 65535; 0 asks for an ephemeral port
 */
public record HostPort(String host, int port) {

    private static final String EXPECTED = "expected host:port such as 127.0.0.1:5060, [::1]:5060 or localhost:0";

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    /** @throws IllegalArgumentException if {@code text} is not {@code host:port} */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "hostPort");
        String host;
        String rest;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in '" + text + "': " + EXPECTED);
            }
            host = text.substring(1, close);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("only an IPv6 address goes in brackets: '" + text + "'");
            }
            rest = text.substring(close + 1);
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("an IPv6 address needs brackets, as in [::1]:5060: '" + text + "'");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            rest = colon < 0 ? "" : text.substring(colon);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@' || c == 0x7F)) {
            throw new IllegalArgumentException("bad host in '" + text + "': " + EXPECTED);
        }
        if (!rest.startsWith(":") || rest.length() < 2 || rest.length() > 6
                || !rest.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("missing or bad port in '" + text + "': " + EXPECTED);
        }
        int port = Integer.parseInt(rest.substring(1));
        if (port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 in '" + text + "'");
        }
        return new HostPort(host, port);
    }

    /** The address, the host resolved by the JDK when it is a name. */
    public InetSocketAddress resolve() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
