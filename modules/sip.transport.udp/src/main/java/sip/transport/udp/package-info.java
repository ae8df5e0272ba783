/**
 * UDP transport provider (not built yet).
 */
package sip.transport.udp;
