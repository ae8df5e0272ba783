package sip.router.internal.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.router.ServerLocator;
import sip.router.internal.Counters;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/**
 * A {@link TransportLayer} on an in-memory network delivered by hand: the layer listens on
 * {@code mem} and {@code mem-stream} at {@link #LOCAL}; a raw peer ({@link #peer}) has both
 * transports and records what reaches any address it listens on.
 */
final class LoopbackRig implements AutoCloseable {

    static {
        Fixtures.readLoopbackModule();
    }

    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5060);
    static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.2", 5060);

    /** What the peer got, and on which connection (its local address tells which listener). */
    record Arrival(SipMessage message, Connection connection) {
    }

    final LoopbackNetwork network = LoopbackNetwork.newBuilder().manualDelivery().build();
    final TransportConfig config;
    final Counters counters = new Counters();
    final RecordingSink sink = new RecordingSink();
    final TransportLayer layer;
    final List<Arrival> peerReceived = new ArrayList<>();
    final List<ConnectionEvent> peerEvents = new ArrayList<>();
    /** What the peer could not parse, when a test expects answers missing mandatory headers. */
    final List<ParseResult.Malformed> peerMalformed = new ArrayList<>();
    boolean acceptMalformed;
    final Transport peer;
    final Transport peerStream;

    LoopbackRig() {
        this(null, ServerLocator.jdk(), true);
    }

    LoopbackRig(String hostName, ServerLocator locator, boolean listen) {
        this(hostName, locator, listen, SipParser.lenient());
    }

    /** @param parser what every transport on the network parses with (LAZY validation, say) */
    LoopbackRig(String hostName, ServerLocator locator, boolean listen, SipParser parser) {
        config = network.transportConfig().parser(parser).build();
        layer = new TransportLayer(Fixtures.settings(config, hostName, locator), sink, counters);
        InboundHandler recorder = new InboundHandler() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                peerReceived.add(new Arrival(message, connection));
            }

            @Override
            public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
                if (!acceptMalformed) {
                    throw new AssertionError("the peer got a malformed message: " + malformed.error());
                }
                peerMalformed.add(malformed);
            }

            @Override
            public void onEvent(ConnectionEvent event) {
                peerEvents.add(event);
            }
        };
        try {
            if (listen) {
                layer.listen("mem", LOCAL);
                layer.listen("mem-stream", LOCAL);
            }
            peer = Transports.open("mem", config, recorder);
            peerStream = Transports.open("mem-stream", config, recorder);
            peer.listen(PEER);
            peerStream.listen(PEER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The peer sends {@code text} (\n line ends) over {@code mem} from its listener at {@code from}. */
    void peerSends(InetSocketAddress from, String text) throws IOException {
        if (!from.equals(PEER) && peer.listeners().stream().noneMatch(l -> l.localAddress().equals(from))) {
            peer.listen(from);
        }
        Connection c = peer.find(new sip.transport.spi.Flow("mem", from, LOCAL)).orElseThrow();
        c.send(Fixtures.wire(text));
        network.deliverAll();
    }

    /** The only message the peer got since the last call, and forgets it. */
    Arrival peerGotOne() {
        network.deliverAll();
        if (peerReceived.size() != 1) {
            throw new AssertionError("the peer got " + peerReceived.size() + " messages: " + peerReceived);
        }
        return peerReceived.removeFirst();
    }

    @Override
    public void close() {
        layer.close();
        peer.close();
        peerStream.close();
        network.close();
    }
}
