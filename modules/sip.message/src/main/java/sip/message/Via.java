package sip.message;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One Via value (RFC 3261 §20.42, RFC 3581 rport).
 *
 * @param protocol the protocol name and version, normally {@code "SIP/2.0"}
 * @param transport the transport as written, normally upper case ({@code "UDP"}, {@code "TLS"},
 *     {@code "WSS"}, or any token)
 * @param host the sent-by host; IPv6 references keep their brackets
 * @param port the sent-by port, or -1 when none is given
 * @param parameters branch, received, rport, maddr, ttl and any others, in order
 */
public record Via(String protocol, String transport, String host, int port, Parameters parameters) {
    /** The RFC 3261 branch prefix that marks a transaction id (§8.1.1.7). */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    public Via {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(parameters, "parameters");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 or -1: " + port);
        }
        // Character classes only, so that no field can carry a ',' ';' or line end into the
        // wire form (which is why a built Via needs no parse-back): protocol = token "/" token,
        // transport = token, host = hostname, IPv4 or [IPv6] characters.
        int slash = -1;
        boolean ok = true;
        for (int i = 0; i < protocol.length() && ok; i++) {
            char c = protocol.charAt(i);
            if (c == '/') {
                ok = slash < 0;
                slash = i;
            } else {
                ok = sip.message.internal.Grammar.is(c, sip.message.internal.Grammar.TOKEN);
            }
        }
        if (!ok || slash <= 0 || slash == protocol.length() - 1) {
            throw new IllegalArgumentException("Via protocol must be name/version tokens: \"" + protocol + "\"");
        }
        if (!sip.message.internal.Grammar.isToken(transport)) {
            throw new IllegalArgumentException("Via transport must be a token: \"" + transport + "\"");
        }
        if (!sip.message.internal.Grammar.isHostText(host)) {
            throw new IllegalArgumentException("Via host must be a host name, IPv4 or [IPv6] address: \"" + host + "\"");
        }
    }

    /** {@code SIP/2.0/transport host:port;branch=branch} (port -1 for none). */
    public static Via of(String transport, String host, int port, String branch) {
        return new Via("SIP/2.0", transport, host, port, Parameters.of("branch", branch));
    }

    /** The branch parameter, or null. */
    public String branch() {
        return parameters.value("branch");
    }

    /**
     * True when the branch starts with the RFC 3261 magic cookie and has more after it, so it can
     * be used as a transaction id; false means the RFC 2543 matching rules apply (§17.2.3).
     */
    public boolean hasRfc3261Branch() {
        String b = branch();
        return b != null && b.length() > MAGIC_COOKIE.length() && b.startsWith(MAGIC_COOKIE);
    }

    /** The received parameter (without brackets for IPv6), or null. */
    public String received() {
        return parameters.value("received");
    }

    /** True when an rport parameter is present, with or without a value. */
    public boolean hasRport() {
        return parameters.has("rport");
    }

    /** The rport value, if it has one. */
    public OptionalInt rport() {
        return number(parameters.value("rport"));
    }

    /** The maddr parameter, or null. */
    public String maddr() {
        return parameters.value("maddr");
    }

    /** The ttl parameter, if present. */
    public OptionalInt ttl() {
        return number(parameters.value("ttl"));
    }

    /** A parameter's small decimal value; empty when absent, a flag, or not such a number. */
    private static OptionalInt number(String v) {
        long n = sip.message.internal.Numbers.parse(v, 65535);
        return n < 0 ? OptionalInt.empty() : OptionalInt.of((int) n);
    }

    /** {@code host} or {@code host:port}. */
    public String sentBy() {
        return port < 0 ? host : host + ":" + port;
    }

    public Via withParameter(String name, String value) {
        return new Via(protocol, transport, host, port, parameters.with(name, value));
    }

    /** A copy with {@code received} set (RFC 3261 §18.2.1); IPv6 addresses go without brackets. */
    public Via withReceived(String address) {
        return withParameter("received", address);
    }

    /** A copy with {@code rport} set to {@code port} (RFC 3581 §4). */
    public Via withRport(int port) {
        return withParameter("rport", Integer.toString(port));
    }

    /** The wire form: {@code SIP/2.0/UDP host:port;params}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(protocol).append('/').append(transport)
            .append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        parameters.appendTo(sb);
        return sb.toString();
    }
}
