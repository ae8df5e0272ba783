package sip.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.testkit.TestCertificateAuthority;
import sip.transport.spi.Connection;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/**
 * The two ends the echo benchmarks measure, for one protocol: an echo server (a Parley transport
 * answering each parsed message with its {@code toBytes()}) and a client transport connected to
 * it, both opened through {@link Transports} as the stack opens them, in this JVM on 127.0.0.1.
 * Every inbound message is parsed with {@code Validation.LAZY}, as a transaction layer reads it.
 *
 * <p>{@code tls} and {@code wss} use a throw-away certificate authority made in a temporary
 * directory (deleted by {@link #close()}): one configuration for both ends, the server
 * certificate for 127.0.0.1 and the CA trusted, so the client's RFC 5922 identity check stays on
 * and passes against the IP address it connects to, as a real client's would.
 */
final class EchoTransports implements AutoCloseable {

    private final Transport server;
    private final Transport client;
    private final Connection toServer;
    private final Path certificates;

    private EchoTransports(Transport server, Transport client, Connection toServer, Path certificates) {
        this.server = server;
        this.client = client;
        this.toServer = toServer;
        this.certificates = certificates;
    }

    /** Opens both ends of {@code protocol} and connects; {@code echoed} gets each echo the client parsed. */
    static EchoTransports open(String protocol, Consumer<SipMessage> echoed) throws Exception {
        Path certificates = protocol.equals("tls") || protocol.equals("wss")
                ? Files.createTempDirectory("parley-bench-pki")
                : null;
        TransportConfig.Builder config = TransportConfig.newBuilder()
                .parser(SipParser.newBuilder().validation(SipParser.Validation.LAZY).build());
        if (certificates != null) {
            config.tls(throwAwayTls(certificates));
        }
        TransportConfig settings = config.build();
        Transport server = Transports.open(protocol, settings, new InboundHandler() {
            @Override
            public void onMessage(Connection connection, SipMessage m) {
                try {
                    connection.send(ByteBuffer.wrap(m.toBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        Transport client = Transports.open(protocol, settings, new InboundHandler() {
            @Override
            public void onMessage(Connection connection, SipMessage m) {
                echoed.accept(m);
            }
        });
        InetSocketAddress at = server.listen(new InetSocketAddress("127.0.0.1", 0)).localAddress();
        client.listen(new InetSocketAddress("127.0.0.1", 0));
        return new EchoTransports(server, client, client.connect(at), certificates);
    }

    /** The client's connection to the echo server. */
    Connection toServer() {
        return toServer;
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
        if (certificates != null) {
            try (Stream<Path> files = Files.walk(certificates)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static TlsConfig throwAwayTls(Path dir) throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir, "bench-ca");
        TestCertificateAuthority.Issued server = ca.server("bench-server");   // sip.test, 127.0.0.1, ::1
        return TlsConfig.newBuilder()
                .certificate(server.chain(), server.key8())
                .trustedCertificates(ca.certificatePem())
                .build();
    }
}
