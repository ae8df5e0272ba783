/** In-memory transport (being written). */
package sip.transport.loopback;
