/**
 * Generators of valid SIP values drawn from a seed ({@link sip.testkit.SipGenerators}) and a
 * by-meaning message comparison for round-trip properties ({@link sip.testkit.MessageDiff}).
 */
package sip.testkit;
