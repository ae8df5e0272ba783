package sip.interop.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sip.interop.Peers;

/**
 * Node and the pinned npm peers of {@code interop-tests/ws} for the browser tests: node found on
 * PATH (else skipped, failed in CI), {@code npm ci} run once when {@code node_modules} is missing.
 * Stands in until the shared {@code sip.interop.ws.NodePeers} is merged.
 */
final class NodeScripts {

    private static boolean installed;

    private NodeScripts() {
    }

    static Path node() {
        return Peers.require("node");
    }

    /** {@code interop-tests/ws} with its {@code node_modules} installed. */
    static synchronized Path directory() throws IOException, InterruptedException {
        Path ws = ParleyWss.repositoryRoot().resolve("interop-tests/ws");
        if (!installed && !Files.isDirectory(ws.resolve("node_modules/playwright-core"))) {
            Peers.Run ci = Peers.run(ws, 600, List.of(Peers.require("npm").toString(), "ci", "--no-audit", "--no-fund"));
            if (ci.exitCode() != 0) {
                throw new IOException("npm ci in " + ws + " failed:\n" + ci.output());
            }
        }
        installed = true;
        return ws;
    }
}
