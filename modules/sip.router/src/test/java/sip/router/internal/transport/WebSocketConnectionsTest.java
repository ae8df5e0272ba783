package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;

/** Several WebSocket connections from one peer address: each reachable, one closing leaves the others. */
class WebSocketConnectionsTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.7", 40000);

    private final WebSocketConnections connections = new WebSocketConnections();

    @Test
    void twoConnectionsFromOneAddressAreBothKeptAndOneClosingLeavesTheOther() {
        Ws overWs = new Ws(Protocol.WS, new InetSocketAddress("192.0.2.10", 80));
        Ws overWss = new Ws(Protocol.WSS, new InetSocketAddress("192.0.2.10", 443));
        connections.opened(overWs);
        connections.opened(overWss);

        assertSame(overWs, connections.find(PEER, c -> c.protocol().equals(Protocol.WS)));
        assertSame(overWss, connections.find(PEER, c -> c.protocol().equals(Protocol.WSS)));

        overWss.open = false;
        connections.closed(overWss);
        assertSame(overWs, connections.find(PEER, c -> true), "the older one, still open, is still reachable");
        assertEquals(1, connections.size());

        overWs.open = false;
        connections.closed(overWs);
        assertNull(connections.find(PEER, c -> true));
        assertEquals(0, connections.size());
    }

    @Test
    void aConnectionAlreadyClosedWhenItsOpenIsToldLeavesNoEntry() {
        Ws gone = new Ws(Protocol.WS, new InetSocketAddress("192.0.2.10", 80));
        gone.open = false;
        connections.closed(gone); // the close overtook the open
        connections.opened(gone);

        assertEquals(0, connections.size());
    }

    private static final class Ws implements Connection {
        private final Protocol protocol;
        private final Flow flow;
        volatile boolean open = true;

        Ws(Protocol protocol, InetSocketAddress local) {
            this.protocol = protocol;
            this.flow = new Flow(protocol.name(), local, PEER);
        }

        @Override
        public Flow flow() {
            return flow;
        }

        @Override
        public Protocol protocol() {
            return protocol;
        }

        @Override
        public boolean inbound() {
            return true;
        }

        @Override
        public void send(ByteBuffer message) {
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
