/**
 * The transport SPI: how messages get on and off the network. The stack sees only these types;
 * each protocol comes from a {@link sip.transport.spi.TransportProvider} found with
 * {@link java.util.ServiceLoader}. Parley's own UDP, TCP, TLS and WebSocket providers are
 * registered exactly as a third party's.
 *
 * <h2>The chain</h2>
 * {@link sip.transport.spi.TransportProvider} (stateless, found by protocol name through
 * {@link sip.transport.spi.Transports}) → {@link sip.transport.spi.Transport} (one protocol's
 * runtime in one stack: its {@link sip.transport.spi.TransportConfig}, its
 * {@link sip.transport.spi.InboundHandler}, its counters) → {@link sip.transport.spi.Listener}s and
 * {@link sip.transport.spi.Connection}s. Every connection carries one
 * {@link sip.transport.spi.Flow} (protocol, local and remote address), the key under which the
 * stack finds it again to send a response or an in-dialog request back the way a request came.
 *
 * <h2>Writing a transport provider</h2>
 * <ol>
 *   <li>Make a module that requires this one and declares the provider:
 * <pre>{@code
 * module com.acme.sip.sctp {
 *     requires sip.transport.spi;
 *     provides sip.transport.spi.TransportProvider with com.acme.sip.sctp.SctpTransportProvider;
 * }
 * }</pre>
 *   (on the class path, list the class in
 *   {@code META-INF/services/sip.transport.spi.TransportProvider} instead).</li>
 *   <li>{@link sip.transport.spi.TransportProvider#protocols()} names what it serves with a
 *   {@link sip.transport.spi.Protocol}: the lower-case Via token, whether it is reliable (the
 *   transaction layer then stops retransmitting), whether it is a byte stream (frame it with
 *   {@link sip.message.SipParser#newStreamFramer()}), whether it is secure, and its default port.
 *   Exactly one provider may serve a protocol.</li>
 *   <li>{@link sip.transport.spi.TransportProvider#open} returns a
 *   {@link sip.transport.spi.Transport} that binds nothing until asked. Parse what arrives with
 *   {@link sip.transport.spi.TransportConfig#parser()}; hand each message to
 *   {@link sip.transport.spi.InboundHandler#onMessage}, each malformed one to
 *   {@link sip.transport.spi.InboundHandler#onMalformed}, each connection opened, closed or failed
 *   to {@link sip.transport.spi.InboundHandler#onEvent}; never let a handler exception end a
 *   reader.</li>
 *   <li>Honour the limits of {@link sip.transport.spi.TransportConfig} that apply to the protocol,
 *   throw the typed {@link sip.transport.spi.TransportException}s, and keep live counts (a
 *   {@link sip.transport.spi.TransportCounters} does the bookkeeping) that return to zero once
 *   everything is closed.</li>
 *   <li>Read with one virtual thread per connection running a plain blocking loop
 *   ({@link sip.transport.spi.TransportConfig#threadFactory()}); do not queue without bound.</li>
 * </ol>
 */
package sip.transport.spi;
