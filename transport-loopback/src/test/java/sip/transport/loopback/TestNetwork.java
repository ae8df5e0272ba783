package sip.transport.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;
import sip.transport.spi.Transports;

/**
 * A network and the transports a test opened on it, found through the SPI only. {@link #close()}
 * closes them and checks that every live count went back to zero.
 */
final class TestNetwork implements AutoCloseable {

    final LoopbackNetwork network;
    private final List<Transport> opened = new ArrayList<>();

    TestNetwork(LoopbackNetwork network) {
        this.network = network;
    }

    /** {@code protocol} from its provider, found with ServiceLoader, on this network. */
    Transport open(String protocol, InboundHandler handler) throws IOException {
        return open(protocol, network.transportConfig().build(), handler);
    }

    Transport open(String protocol, TransportConfig config, InboundHandler handler) throws IOException {
        Transport t = Transports.open(protocol, config, handler);
        opened.add(t);
        return t;
    }

    @Override
    public void close() {
        for (Transport t : opened) {
            t.close();
            assertEquals(0, t.stats().sockets(), () -> t.protocol().name() + " sockets after close");
            assertEquals(0, t.stats().connections(), () -> t.protocol().name() + " connections after close");
            assertEquals(0, t.stats().listeners(), () -> t.protocol().name() + " listeners after close");
            assertEquals(List.of(), t.listeners());
        }
        network.close();
    }
}
