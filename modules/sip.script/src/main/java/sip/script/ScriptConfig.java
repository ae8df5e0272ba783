package sip.script;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A script's {@code export const config}, read once per loaded version. Every part is optional
 * in the script; an absent part is an empty list / empty optional here.
 *
 * @param listen listen addresses as {@code PROTO:HOST:PORT}; {@code --listen} on the command
 *     line wins over them
 * @param domains the registrar's domains (a REGISTER for another is answered {@code 404});
 *     empty: any domain (the Request-URI's host must match the AOR's)
 * @param auth what {@code sip.auth.check} checks against; empty: it answers {@code 403}
 * @param workers JS worker threads wanted; the runtime builder's setting wins
 * @param websocket the WebSocket listeners' settings ({@code ws:} and {@code wss:} listeners);
 *     empty: their defaults (any path, any origin). {@code parley run} applies it when it starts
 */
public record ScriptConfig(List<String> listen, List<String> domains, Optional<AuthConfig> auth, OptionalInt workers,
                           Optional<WebSocket> websocket) {

    /** No listen addresses, any domain, no auth, default workers, default WebSocket settings. */
    public static final ScriptConfig EMPTY = new ScriptConfig(List.of(), List.of(), Optional.empty(), OptionalInt.empty(),
            Optional.empty());

    public ScriptConfig {
        listen = List.copyOf(listen);
        domains = List.copyOf(domains);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(websocket, "websocket");
    }

    /** A config without WebSocket settings (the shape before {@code websocket} existed). */
    public ScriptConfig(List<String> listen, List<String> domains, Optional<AuthConfig> auth, OptionalInt workers) {
        this(listen, domains, auth, workers, Optional.empty());
    }

    /**
     * {@code config.websocket}: what the {@code ws:} and {@code wss:} listeners serve, as
     * {@code sip.transport.ws.WebSocketConfig} takes it.
     *
     * @param path the only request path served (others get {@code 404}), starting with {@code /};
     *     empty: any path
     * @param allowedOrigins the browser {@code Origin}s allowed ({@code scheme://host[:port]},
     *     compared ignoring case; others get {@code 403}); empty: any origin. A handshake without
     *     {@code Origin} (not a browser) is always allowed
     */
    public record WebSocket(Optional<String> path, List<String> allowedOrigins) {
        public WebSocket {
            Objects.requireNonNull(path, "path");
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }
}
