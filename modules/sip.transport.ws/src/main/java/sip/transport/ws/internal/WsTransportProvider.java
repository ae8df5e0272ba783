package sip.transport.ws.internal;

import java.io.IOException;
import java.util.Set;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.TransportProvider;
import sip.transport.tcp.internal.StreamSockets;
import sip.transport.tcp.internal.StreamTransport;
import sip.transport.tcp.internal.TcpSockets;
import sip.transport.tls.internal.TlsSockets;
import sip.transport.ws.WebSocketConfig;

/**
 * The {@code ws} and {@code wss} transports (RFC 7118): the TCP provider's stream transport over
 * {@link WsSockets}, on plain sockets for {@code ws} and the TLS provider's for {@code wss}, whose
 * certificates and keys are read when the transport opens, so a bad file fails {@link #open}.
 */
public final class WsTransportProvider implements TransportProvider {

    @Override
    public Set<Protocol> protocols() {
        return Set.of(Protocol.WS, Protocol.WSS);
    }

    @Override
    public Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) throws IOException {
        StreamSockets base;
        if (Protocol.WS.name().equals(protocol.name())) {
            base = new TcpSockets();
        } else if (Protocol.WSS.name().equals(protocol.name())) {
            TlsConfig tls = config.tls().orElseThrow(() -> new IOException(
                    "wss transport needs TransportConfig.tls(...): a certificate to listen, trusted CAs to connect"));
            base = TlsSockets.create(tls);
        } else {
            throw new IllegalArgumentException("the ws provider does not serve " + protocol.name());
        }
        WebSocketConfig ws = config.extension(WebSocketConfig.class).orElse(WebSocketConfig.defaults());
        return new StreamTransport(protocol, config, handler,
                new WsSockets(base, protocol, ws, config.parser().maxMessageSize()));
    }
}
