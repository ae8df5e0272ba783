package sip.router.proxy;

/** How a relay to several targets proceeds (RFC 3261 §16.6, "parallel or sequential"). */
public enum Forking {
    /** Every target at once, each in a branch of its own. */
    PARALLEL,
    /**
     * One target after another, in the order given: the next starts when the current branch
     * ends without a 2xx or 6xx (or its {@link RelayOptions.Builder#branchTimeout} expires).
     */
    SEQUENTIAL
}
