package sip.transport.tcp.internal;

import java.util.Set;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;

/** SIP over TCP (RFC 3261 §18), registered with {@code provides} like any third-party provider. */
public final class TcpTransportProvider implements TransportProvider {

    @Override
    public Set<Protocol> protocols() {
        return Set.of(Protocol.TCP);
    }

    @Override
    public Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) {
        if (!Protocol.TCP.name().equals(protocol.name())) {
            throw new IllegalArgumentException("the tcp provider does not serve " + protocol.name());
        }
        return new StreamTransport(protocol, config, handler, new TcpSockets());
    }
}
