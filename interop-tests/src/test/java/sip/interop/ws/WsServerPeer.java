package sip.interop.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code interop-tests/ws/sip-ws-server.mjs} (a SIP-over-WebSocket server on the npm {@code ws}
 * package) running on 127.0.0.1:{@code port}, for Parley's outbound client to connect to; its
 * header lists the settings and the events it prints. {@link #close} stops it.
 */
record WsServerPeer(NodeProcess process, int port) implements AutoCloseable {

    /** Starts it with {@code config} and returns once it listens. */
    static WsServerPeer start(Path dir, Map<String, Object> config) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "ws-server", ".json");
        Files.writeString(file, Json.write(config));
        NodeProcess node = NodePeers.start(dir, Duration.ofSeconds(50), Map.of(), "sip-ws-server.mjs", file.toString());
        try {
            return new WsServerPeer(node, ((Number) node.awaitEvent("listening", AnsweringHandler.WAIT).get("port")).intValue());
        } catch (RuntimeException | Error | InterruptedException e) {
            node.close();
            throw e;
        }
    }

    /** The first event named {@code event} it printed, waiting for it. */
    Map<String, Object> await(String event) throws InterruptedException {
        return process.awaitEvent(event, AnsweringHandler.WAIT);
    }

    /** The protocol errors ws reported (an unmasked frame, bad UTF-8, ...): none is expected. */
    java.util.List<String> errors() {
        return process.stdout().stream().filter(l -> l.contains("\"event\":\"error\"")).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
