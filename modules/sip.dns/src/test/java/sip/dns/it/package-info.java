/**
 * The RFC 3263 matrix of {@link sip.dns.DnsServerLocator} against a real dnsmasq: each test class
 * starts its own {@code sip.testkit.Dnsmasq} on a free loopback port with exactly the records it
 * needs, and builds its locators on that server only (never the system resolver). Where dnsmasq
 * cannot misbehave on demand (never answering, holding a query back), {@link sip.dns.it.StubDnsServer}
 * stands in on loopback.
 */
package sip.dns.it;
