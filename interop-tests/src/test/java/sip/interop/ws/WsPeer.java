package sip.interop.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code interop-tests/ws/sip-ws-client.mjs} (the npm {@code ws} package as a SIP client)
 * is to do, step by step, and then {@link #run} or {@link #start} it. The script's header
 * describes the steps and the events it prints.
 */
final class WsPeer {

    /** The whole run; each step's own wait is {@link #stepTimeout}. */
    static final Duration RUN_WITHIN = Duration.ofSeconds(60);

    private final Map<String, Object> plan = new LinkedHashMap<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();

    private WsPeer(String url) {
        plan.put("url", url);
        plan.put("protocols", List.of("sip"));
        plan.put("timeoutMs", 5_000);
        plan.put("steps", steps);
    }

    /** A peer for {@code url} offering the {@code sip} subprotocol. */
    static WsPeer to(String url) {
        return new WsPeer(url);
    }

    /** The subprotocols it offers (none: the handshake has no {@code Sec-WebSocket-Protocol}). */
    WsPeer protocols(String... protocols) {
        plan.put("protocols", List.of(protocols));
        return this;
    }

    /** The {@code Origin} it sends, as a browser would (none by default, as a non-browser client). */
    WsPeer origin(String origin) {
        plan.put("origin", origin);
        return this;
    }

    /** For wss: trusts the certificates in {@code pem} (and nothing else). */
    WsPeer trust(Path pem) {
        plan.put("ca", pem.toString());
        return this;
    }

    /** How long each step waits for what it expects; 5 s by default. */
    WsPeer stepTimeout(Duration timeout) {
        plan.put("timeoutMs", timeout.toMillis());
        return this;
    }

    private WsPeer step(String op, Object... fields) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("op", op);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            step.put((String) fields[i], fields[i + 1]);
        }
        steps.add(step);
        return this;
    }

    /** {@code text} as one text message. */
    WsPeer send(String text) {
        return step("send", "data", text);
    }

    /** {@code text} as one binary message. */
    WsPeer sendBinary(String text) {
        return step("send", "data", text, "binary", true);
    }

    /** {@code bytes} as they are, in one text ({@code binary} false) or binary message. */
    WsPeer sendBytes(byte[] bytes, boolean binary) {
        return step("send", "hex", java.util.HexFormat.of().formatHex(bytes), "binary", binary);
    }

    /** {@code text} as one text message cut into {@code fragments} frames, a ping with {@code ping} after the first. */
    WsPeer sendFragmented(String text, int fragments, String ping) {
        return step("send", "data", text, "fragments", fragments, "pingBetween", ping);
    }

    WsPeer expectMessage() {
        return step("expect", "what", "message");
    }

    WsPeer expectPong() {
        return step("expect", "what", "pong");
    }

    /** Waits for the server to close (the close event reports its code). */
    WsPeer expectClose() {
        return step("expect", "what", "close");
    }

    /** The next message must be a SIP request: answers it 200. */
    WsPeer answer() {
        return step("answer");
    }

    WsPeer ping(String payload) {
        return step("ping", "data", payload);
    }

    /** Waits (up to the step timeout) for the test to write a line to its stdin. */
    WsPeer awaitStdin() {
        return step("stdin");
    }

    /** Starts the close handshake with {@code code} and waits for the server's close. */
    WsPeer close(int code, String reason) {
        return step("close", "code", code, "reason", reason);
    }

    /** Drops the TCP connection without a close frame. */
    WsPeer terminate() {
        return step("terminate");
    }

    /** Starts it (the plan goes to a file in {@code dir}); the test reads its events as they come. */
    NodeProcess start(Path dir) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "ws-plan", ".json");
        Files.writeString(file, Json.write(plan));
        return NodePeers.start(dir, RUN_WITHIN, Map.of(), "sip-ws-client.mjs", file.toString());
    }

    /** Runs it to its end. */
    Result run(Path dir) throws IOException, InterruptedException {
        try (NodeProcess node = start(dir)) {
            return new Result(node.await());
        }
    }

    /** What the peer printed. */
    record Result(NodeProcess.Run run) {

        List<Map<String, Object>> events() {
            return run.objects();
        }

        /** The events named {@code event}, in order. */
        List<Map<String, Object>> all(String event) {
            return events().stream().filter(e -> event.equals(e.get("event"))).toList();
        }

        /** The one event named {@code event}; fails when there is none or several. */
        Map<String, Object> only(String event) {
            List<Map<String, Object>> found = all(event);
            if (found.size() != 1) {
                fail("expected one " + event + " event, got " + found.size() + ":\n" + run.report());
            }
            return found.getFirst();
        }

        /** The messages its expect/answer steps read, in order, as text. */
        List<String> messages() {
            return all("message").stream().map(e -> (String) e.get("data")).toList();
        }

        /** The status code of each message read, in order; 0 for one that is no SIP response (a CRLF). */
        List<Integer> statuses() {
            return messages().stream().map(m -> m.startsWith("SIP/2.0 ") ? WsRequests.status(m) : 0).toList();
        }

        /** Asserts every step ran: exit 0 and the done event. */
        Result assertDone() {
            assertEquals(0, run.exitCode(), run.report());
            assertEquals(1, all("done").size(), run.report());
            return this;
        }

        /**
         * Asserts the handshake was refused with {@code status} (the HTTP answer ws reports as
         * 'unexpected-response'), in an answer that closes the connection, and no step ran.
         */
        Result assertRefused(int status) {
            assertEquals(0, run.exitCode(), run.report());
            Map<String, Object> refused = only("refused");
            assertEquals((long) status, refused.get("status"), run.report());
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = (Map<String, Object>) refused.get("headers");
            assertEquals("close", String.valueOf(headers.get("connection")).toLowerCase(java.util.Locale.ROOT), run.report());
            assertEquals(List.of(), all("open"), run.report());
            return this;
        }

        /** The body of the refusal (the server's short text saying why). */
        String refusalBody() {
            return (String) only("refused").get("body");
        }

        /** The 101 and the socket, as the open event reports them. */
        Map<String, Object> open() {
            return only("open");
        }

        /** A header of the 101 (names are lower case, as node gives them). */
        String upgradeHeader(String name) {
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = (Map<String, Object>) open().get("headers");
            return (String) headers.get(name);
        }

        int localPort() {
            return ((Number) open().get("localPort")).intValue();
        }

        String report() {
            return run.report();
        }
    }
}
