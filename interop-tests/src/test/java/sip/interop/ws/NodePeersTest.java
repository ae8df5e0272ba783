package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What decides whether {@code npm ci} must run, and the JSON the node peers are spoken to in. */
class NodePeersTest {

    @TempDir
    Path dir;

    @Test
    void aPackageIsMissingUntilItsPinnedVersionIsInstalled() throws Exception {
        Files.writeString(dir.resolve("package.json"),
                "{ \"name\": \"x\", \"dependencies\": { \"ws\": \"8.23.0\", \"@scope/thing\": \"1.2.3\" } }");
        assertEquals(List.of("ws@8.23.0", "@scope/thing@1.2.3"), NodePeers.missingPackages(dir));

        manifest("ws", "8.22.0");
        manifest("@scope/thing", "1.2.3");
        assertEquals(List.of("ws@8.23.0"), NodePeers.missingPackages(dir), "another version is not the pinned one");

        manifest("ws", "8.23.0");
        assertEquals(List.of(), NodePeers.missingPackages(dir));
    }

    @Test
    void theRepositorysPeersArePinnedAndFound() throws Exception {
        Path ws = NodePeers.directory();
        assertEquals(true, Files.isRegularFile(ws.resolve("package-lock.json")), ws.toString());
        assertEquals(true, Files.isRegularFile(ws.resolve("sip-ws-client.mjs")), ws.toString());
    }

    private void manifest(String name, String version) throws Exception {
        Path p = dir.resolve("node_modules").resolve(name);
        Files.createDirectories(p);
        Files.writeString(p.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}");
    }

    @Test
    void jsonRoundTripsWhatThePeersPrint() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "message");
        event.put("binary", false);
        event.put("data", "SIP/2.0 200 OK\r\nX: \"q\" \\ é 日本\u0001\r\n\r\n");
        event.put("code", 1000L);
        event.put("ratio", 0.5);
        event.put("none", null);
        event.put("list", Arrays.asList(1L, "two", List.of()));
        event.put("empty", Map.of());
        String text = Json.write(event);
        assertEquals(event, Json.object(text));
        assertEquals(Map.of("a", "\u00e9\n"), Json.object("{ \"a\" : \"\\u00e9\\n\" }"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.object("[1]"));
    }
}
