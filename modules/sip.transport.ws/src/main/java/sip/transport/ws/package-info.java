/**
 * WS transport provider (not built yet).
 */
package sip.transport.ws;
