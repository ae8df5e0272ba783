/**
 * Seeded generators of valid SIP messages, URIs and header values, for users' own property-based
 * and fuzz suites whatever library they use.
 */
module sip.testkit {
    requires transitive sip.message;
    exports sip.testkit;
}
