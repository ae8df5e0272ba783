/**
 * Generators of valid SIP values drawn from a seed.
 */
package sip.testkit;
