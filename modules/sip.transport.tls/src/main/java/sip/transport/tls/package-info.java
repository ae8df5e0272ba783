/**
 * TLS transport provider (not built yet).
 */
package sip.transport.tls;
