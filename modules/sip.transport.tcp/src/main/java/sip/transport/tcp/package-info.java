/**
 * TCP transport provider (not built yet).
 */
package sip.transport.tcp;
