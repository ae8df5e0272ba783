package sip.transport.tls.internal;

import java.io.IOException;
import java.util.Set;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;
import sip.transport.tcp.internal.StreamTransport;

/**
 * The {@code tls} transport: the stream transport of the TCP provider over {@link TlsSockets}.
 * Certificates and keys are read when the transport opens, so a bad file fails {@link #open}.
 */
public final class TlsTransportProvider implements TransportProvider {

    @Override
    public Set<Protocol> protocols() {
        return Set.of(Protocol.TLS);
    }

    @Override
    public Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) throws IOException {
        if (!protocols().contains(protocol)) {
            throw new IllegalArgumentException("the tls provider does not serve " + protocol.name());
        }
        TlsConfig tls = config.tls().orElseThrow(() -> new IOException(
                "tls transport needs TransportConfig.tls(...): a certificate to listen, trusted CAs to connect"));
        return new StreamTransport(Protocol.TLS, config, handler, TlsSockets.create(tls));
    }
}
