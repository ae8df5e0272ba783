package sip.script.safety;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.UserAgent;
import sip.script.ScriptException;
import sip.script.ScriptRuntime;
import sip.script.ScriptStats;

/**
 * A script served the way {@code parley run} serves it: a {@link ScriptRuntime} on a real
 * {@link UserAgent} listening on UDP 127.0.0.1, and a second user agent as the client sending
 * it MESSAGE requests (MESSAGE: a user agent answers no MESSAGE by itself, so every answer is the
 * script's or the runtime's). The script lives in {@code root/scripts/}; {@code root/outside.js}
 * is a module outside its directory that it must not be able to import.
 */
final class ScriptedServer implements AutoCloseable {

    /** How long a client waits for a final response: beyond any deadline configured here. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    final ScriptRuntime runtime;
    private final UserAgent server;
    private final UserAgent client;
    private final int port;
    private boolean closed;

    private ScriptedServer(ScriptRuntime runtime, UserAgent server, UserAgent client) {
        this.runtime = runtime;
        this.server = server;
        this.client = client;
        this.port = server.listeners().getFirst().localAddress().getPort();
    }

    /** Writes the script's directory under {@code root}: {@code scripts/main.js} = {@code script}, and {@code outside.js}. */
    static Path writeScript(Path root, String script) throws IOException {
        Path dir = Files.createDirectories(root.resolve("scripts"));
        Files.writeString(root.resolve("outside.js"), "export const secret = 'outside';\n", StandardCharsets.UTF_8);
        Path main = dir.resolve("main.js");
        Files.writeString(main, script, StandardCharsets.UTF_8);
        return main;
    }

    /** Serves {@code script} with the runtime's defaults changed by {@code settings}. */
    static ScriptedServer start(Path root, String script, UnaryOperator<ScriptRuntime.Builder> settings)
            throws IOException, ScriptException {
        Path main = writeScript(root, script);
        UserAgent server = UserAgent.newBuilder().name("scripted").build();
        UserAgent client = null;
        try {
            server.listen("udp", "127.0.0.1:0");
            client = UserAgent.newBuilder().name("client").build();
            client.listen("udp", "127.0.0.1:0");
            ScriptRuntime runtime = settings.apply(ScriptRuntime.newBuilder(main).userAgent(server)).build();
            return new ScriptedServer(runtime, server, client);
        } catch (IOException | ScriptException | RuntimeException | Error e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
    }

    /** Sends MESSAGE {@code sip:user@127.0.0.1:port} and returns the future of its final response. */
    CompletableFuture<SipResponse> request(String user) {
        SipRequest message = client.client().newRequest(Method.MESSAGE, SipUri.of(user, "127.0.0.1", port)).build();
        return client.client().request(message, Destination.of("udp", new InetSocketAddress("127.0.0.1", port))).response();
    }

    /** Sends MESSAGE to {@code user} and waits for its final response. */
    SipResponse send(String user) throws Exception {
        return request(user).get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    ScriptStats stats() {
        return runtime.stats();
    }

    /** Polls the runtime's stats until {@code condition} holds; fails with them after 30 s. */
    ScriptStats awaitStats(String what, Predicate<ScriptStats> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ScriptStats s = runtime.stats();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                fail("not " + what + " within 30 s: " + s);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            s = runtime.stats();
        }
        return s;
    }

    /**
     * Closes the runtime, then the user agents, and returns the runtime's stats after its close:
     * every live count (contexts, requests in flight, store entries) must be 0 by then.
     */
    ScriptStats closeAndStats() {
        close();
        return runtime.stats();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            runtime.close();
        } finally {
            client.close();
            server.close();
        }
    }
}
