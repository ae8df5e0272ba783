package sip.dns;

import java.io.IOException;
import java.util.Objects;

/**
 * Why {@link DnsServerLocator} could not locate a target: the reason, and the DNS name and record
 * type whose lookup decided it. The router turns it, like any {@link IOException} of a
 * {@link sip.router.ServerLocator}, into a local {@code 503} whose reason phrase carries the
 * message {@code "DNS <reason> for <name> <type>: <detail>"}.
 */
public final class DnsLookupException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The name does not exist (NXDOMAIN for the final A/AAAA lookup). */
        NO_SUCH_NAME,
        /** The server answered, but with nothing usable: no address, no service left. */
        NO_RECORDS,
        /** No answer within the query or lookup timeout. */
        TIMEOUT,
        /** The server answered SERVFAIL, or the query failed with an I/O error. */
        SERVER_FAILURE,
        /** The server refused the query (REFUSED, or NOTIMP). */
        REFUSED,
        /** The answer could not be used: malformed, or a CNAME chain too long or looping. */
        MALFORMED
    }

    private final Reason reason;
    private final String name;
    private final String type;

    /**
     * @param reason what went wrong
     * @param name the DNS name looked up, as queried (absolute, without the final dot)
     * @param type the record type, e.g. {@code "NAPTR"}, {@code "SRV"}, {@code "A"}
     * @param detail more about it for people (server, rcode); may be null
     * @param cause the underlying failure; may be null
     */
    public DnsLookupException(Reason reason, String name, String type, String detail, Throwable cause) {
        super(message(reason, name, type, detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    private static String message(Reason reason, String name, String type, String detail) {
        return "DNS " + reason + " for " + name + " " + type + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }

    /** The DNS name whose lookup failed. */
    public String name() {
        return name;
    }

    /** The record type whose lookup failed ({@code "A"}, {@code "AAAA"}, {@code "SRV"}, {@code "NAPTR"}). */
    public String type() {
        return type;
    }
}
