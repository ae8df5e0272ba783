/**
 * RFC 3263 server location: {@link sip.dns.DnsServerLocator} (NAPTR → SRV → A/AAAA with caching),
 * its {@link sip.dns.DnsLookupException} and {@link sip.dns.DnsStats}.
 */
package sip.dns;
