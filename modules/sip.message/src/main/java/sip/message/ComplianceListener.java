package sip.message;

/**
 * Told each time a parser tolerates a {@link Violation}. Called on the thread that parses (for
 * lazily parsed headers, the thread that first reads the header); must not block.
 */
@FunctionalInterface
public interface ComplianceListener {
    /** Ignores everything. */
    ComplianceListener NONE = (violation, detail) -> {};

    /**
     * @param violation what was tolerated
     * @param detail where, e.g. {@code "To: < sip:user@example.com >"}
     */
    void onViolation(Violation violation, String detail);
}
