/**
 * Generators of valid SIP values drawn from a seed ({@link sip.testkit.SipGenerators}) and a
 * by-meaning message comparison for round-trip properties ({@link sip.testkit.MessageDiff}), a
 * throw-away certificate authority ({@link sip.testkit.TestCertificateAuthority}) and a dnsmasq DNS
 * server for tests ({@link sip.testkit.Dnsmasq}).
 */
package sip.testkit;
