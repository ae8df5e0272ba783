package sip.transport.loopback.internal;

import java.util.Objects;
import java.util.Set;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;

/**
 * Provides {@code mem} and {@code mem-stream}, registered through {@code provides} like any third
 * party's transport. Stateless: each transport lives on the {@link LoopbackNetwork} its
 * configuration carries; there is no default network, so no state is shared behind a test's back.
 */
public final class LoopbackTransportProvider implements TransportProvider {

    @Override
    public Set<Protocol> protocols() {
        return Set.of(LoopbackNetwork.MEM, LoopbackNetwork.MEM_STREAM);
    }

    /**
     * @throws IllegalArgumentException if {@code protocol} is not {@code mem} or {@code mem-stream},
     *     or if {@code config} carries no {@link LoopbackNetwork}
     */
    @Override
    public Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        if (!protocols().contains(protocol)) {
            throw new IllegalArgumentException("the loopback provider serves mem and mem-stream, not " + protocol);
        }
        Network network = (Network) config.extension(LoopbackNetwork.class).orElseThrow(() ->
                new IllegalArgumentException("the " + protocol.name() + " transport needs a LoopbackNetwork in its"
                        + " TransportConfig: build the config with network.transportConfig(), or add"
                        + " .extension(LoopbackNetwork.class, network) to TransportConfig.newBuilder()"));
        return protocol.equals(LoopbackNetwork.MEM)
                ? new DatagramTransport(network, config, handler)
                : new StreamTransport(network, config, handler);
    }
}
