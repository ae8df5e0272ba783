/**
 * The UDP provider's implementation: {@link sip.transport.udp.internal.UdpTransport} keeps the
 * sockets, {@link sip.transport.udp.internal.UdpSocket} reads one of them,
 * {@link sip.transport.udp.internal.DatagramQueue} holds what was read until one of the
 * {@link sip.transport.udp.internal.DatagramDispatcher}'s workers parses it and calls the handler,
 * and {@link sip.transport.udp.internal.DatagramFlow} is the connection view a handler answers on.
 */
package sip.transport.udp.internal;
