package sip.transport.spi;

import java.io.IOException;
import java.util.Set;

/**
 * A plug-in serving one or more transport protocols, found with {@link java.util.ServiceLoader}
 * ({@code provides sip.transport.spi.TransportProvider with ...}). See the package documentation
 * for how to write one. Implementations have a public no-argument constructor or a public static
 * {@code provider()} method, and are stateless: all state lives in the {@link Transport}s they
 * open.
 */
public interface TransportProvider {

    /** The protocols served, e.g. {@code [Protocol.UDP]}, or {@code ws} and {@code wss}. */
    Set<Protocol> protocols();

    /**
     * Opens the runtime of one protocol: nothing is bound until {@link Transport#listen} or
     * {@link Transport#connect} is called.
     *
     * @param protocol one of {@link #protocols()}
     * @param config limits, timeouts, parser, TLS settings
     * @param handler receives every inbound message, malformed message and connection event
     * @throws IllegalArgumentException if {@code protocol} is not one of {@link #protocols()}
     * @throws IOException if the configuration cannot be applied (e.g. unreadable certificates)
     */
    Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) throws IOException;
}
