package sip.dns;

/**
 * Which address records a {@link DnsServerLocator} asks for, and which addresses come first in
 * the destinations of one target (RFC 3263 §4.2 leaves the order to the client).
 */
public enum AddressFamily {
    /** A and AAAA; IPv4 addresses of a target before its IPv6 ones. */
    IPV4_FIRST,
    /** A and AAAA; IPv6 addresses of a target before its IPv4 ones. */
    IPV6_FIRST,
    /** A only. */
    IPV4_ONLY,
    /** AAAA only. */
    IPV6_ONLY;

    /** Whether A records are queried. */
    public boolean wantsIpv4() {
        return this != IPV6_ONLY;
    }

    /** Whether AAAA records are queried. */
    public boolean wantsIpv6() {
        return this != IPV4_ONLY;
    }
}
