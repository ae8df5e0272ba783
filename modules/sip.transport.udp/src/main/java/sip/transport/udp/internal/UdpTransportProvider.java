package sip.transport.udp.internal;

import java.util.Objects;
import java.util.Set;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;

/** Serves {@link Protocol#UDP}. Stateless: every transport it opens keeps its own state. */
public final class UdpTransportProvider implements TransportProvider {

    public UdpTransportProvider() {
    }

    @Override
    public Set<Protocol> protocols() {
        return Set.of(Protocol.UDP);
    }

    @Override
    public Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) {
        Objects.requireNonNull(protocol, "protocol");
        if (!protocol.name().equals(Protocol.UDP.name())) {
            throw new IllegalArgumentException("this provider serves udp, not " + protocol.name());
        }
        return new UdpTransport(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(handler, "handler"));
    }
}
