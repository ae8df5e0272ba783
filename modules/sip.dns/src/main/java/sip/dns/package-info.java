/**
 * RFC 3263 server location (issue #7: not built yet).
 */
package sip.dns;
