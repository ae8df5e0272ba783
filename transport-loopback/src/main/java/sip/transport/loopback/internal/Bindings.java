package sip.transport.loopback.internal;

import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The port space of one network: which address is bound to what, per protocol ({@code mem} and
 * {@code mem-stream} ports are separate, as UDP and TCP ports are). Nothing here touches the
 * operating system. Guarded by the network's lock.
 */
final class Bindings {

    private static final int FIRST_EPHEMERAL = 49152;
    private static final int LAST_EPHEMERAL = 65535;

    private record Key(String protocol, InetAddress address, int port) {
    }

    private final Map<Key, Object> bound = new HashMap<>();
    private int nextEphemeral = FIRST_EPHEMERAL;

    /**
     * Binds {@code requested} to the owner {@code owner} makes of the bound address; port 0
     * picks a free ephemeral port.
     *
     * @throws BindException if the address is taken or no ephemeral port is free
     */
    <T> T bind(String protocol, InetSocketAddress requested, Function<InetSocketAddress, T> owner)
            throws BindException {
        InetAddress ip = resolved(requested).getAddress();
        Key key = requested.getPort() != 0 ? new Key(protocol, ip, requested.getPort()) : freeKey(protocol, ip);
        if (bound.containsKey(key)) {
            throw new BindException("Address already in use: " + protocol + " " + requested);
        }
        T value = owner.apply(new InetSocketAddress(ip, key.port()));
        bound.put(key, value);
        return value;
    }

    private Key freeKey(String protocol, InetAddress ip) throws BindException {
        for (int tries = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1; tries > 0; tries--) {
            Key key = new Key(protocol, ip, nextEphemeral);
            nextEphemeral = nextEphemeral == LAST_EPHEMERAL ? FIRST_EPHEMERAL : nextEphemeral + 1;
            if (!bound.containsKey(key)) {
                return key;
            }
        }
        throw new BindException("no free ephemeral " + protocol + " port on " + ip.getHostAddress());
    }

    void unbind(String protocol, InetSocketAddress address, Object owner) {
        bound.remove(new Key(protocol, address.getAddress(), address.getPort()), owner);
    }

    /**
     * What receives at {@code address}: the owner bound to it, else the owner bound to the
     * wildcard address of the same family and port, else null.
     */
    Object lookup(String protocol, InetSocketAddress address) {
        if (address.isUnresolved()) {
            return null;
        }
        Object owner = bound.get(new Key(protocol, address.getAddress(), address.getPort()));
        return owner != null ? owner
                : bound.get(new Key(protocol, wildcardOf(address.getAddress()), address.getPort()));
    }

    static InetSocketAddress resolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("a loopback address must be an IP address: " + address);
        }
        return address;
    }

    /** The loopback address of {@code ip}'s family: where an unbound sender's messages come from. */
    static InetAddress loopbackOf(InetAddress ip) {
        return literal(ip instanceof Inet6Address ? "::1" : "127.0.0.1");
    }

    static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet6Address) == (b instanceof Inet6Address);
    }

    /**
     * The address a message from {@code local} carries as its source: {@code local} itself, or
     * the loopback address for a wildcard bind, so that answers find their way back.
     */
    static InetSocketAddress concrete(InetSocketAddress local) {
        return local.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(loopbackOf(local.getAddress()), local.getPort()) : local;
    }

    private static InetAddress wildcardOf(InetAddress ip) {
        return literal(ip instanceof Inet6Address ? "::" : "0.0.0.0");
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(ip, e);
        }
    }
}
