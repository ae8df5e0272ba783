/**
 * The knobs of Parley's in-memory loopback transport, a test fixture that is not part of the
 * stack: {@link sip.transport.loopback.LoopbackNetwork} and what it is built and steered with. The
 * transports themselves ({@code mem} and {@code mem-stream}) are found like any other, through
 * {@link sip.transport.spi.Transports}; they take their network from
 * {@link sip.transport.spi.TransportConfig#extension}.
 */
package sip.transport.loopback;
