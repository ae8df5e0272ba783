package sip.transport.ws;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the {@code ws} and {@code wss} transports beyond {@code TransportConfig}'s:
 * registered with {@code TransportConfig.newBuilder().extension(WebSocketConfig.class, cfg)};
 * {@link #defaults()} when absent. Immutable; made with {@link #newBuilder()}.
 *
 * <pre>{@code
 * TransportConfig config = TransportConfig.newBuilder()
 *         .extension(WebSocketConfig.class, WebSocketConfig.newBuilder()
 *                 .path("/sip")
 *                 .allowedOrigins(List.of("https://phone.example.com"))
 *                 .build())
 *         .build();
 * }</pre>
 */
public final class WebSocketConfig {

    private static final WebSocketConfig DEFAULTS = newBuilder().build();

    private final String path;
    private final Set<String> allowedOrigins;
    private final int maxFrameSize;
    private final String connectPath;

    private WebSocketConfig(Builder b) {
        this.path = b.path;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.maxFrameSize = b.maxFrameSize;
        this.connectPath = b.connectPath;
    }

    /** All defaults: any path, any origin, 64 KiB frames, connects to {@code /}. */
    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * The only request path listeners serve (others are answered 404); empty for any path, the
     * default. Compared with the request target's path, without its query.
     */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /**
     * The browser origins allowed to connect, exact {@code scheme://host[:port]} in lower case
     * (compared case-insensitively; others are answered 403); empty for any origin, the default. A
     * handshake without an {@code Origin} header (not a browser) is always allowed.
     */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** The largest frame payload accepted, in bytes; larger closes the connection with 1009. Default 65,536. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** The request path of outbound connections; default {@code /}. */
    public String connectPath() {
        return connectPath;
    }

    @Override
    public String toString() {
        return "WebSocketConfig[path=" + (path == null ? "*" : path) + ", allowedOrigins=" + allowedOrigins
                + ", maxFrameSize=" + maxFrameSize + ", connectPath=" + connectPath + "]";
    }

    /** Builds a {@link WebSocketConfig}; setters validate and return {@code this}. */
    public static final class Builder {
        private String path;
        private Set<String> allowedOrigins = Set.of();
        private int maxFrameSize = 65_536;
        private String connectPath = "/";

        private Builder() {
        }

        /** The only path listeners serve, starting with {@code /}. Default: any path. */
        public Builder path(String path) {
            this.path = requirePath(path, "path");
            return this;
        }

        /**
         * Browser origins allowed to connect, each {@code scheme://host[:port]}. Default: empty,
         * any origin.
         */
        public Builder allowedOrigins(Collection<String> origins) {
            this.allowedOrigins = origins.stream()
                    .map(o -> {
                        Objects.requireNonNull(o, "origin");
                        if (!o.contains("://") || o.endsWith("/")) {
                            throw new IllegalArgumentException("an origin is scheme://host[:port], without a path: " + o);
                        }
                        return o.toLowerCase(Locale.ROOT);
                    })
                    .collect(Collectors.toUnmodifiableSet());
            return this;
        }

        /** The largest frame payload accepted, at least 125 bytes (a control frame). Default 65,536. */
        public Builder maxFrameSize(int bytes) {
            if (bytes < 125) {
                throw new IllegalArgumentException("maxFrameSize must be at least 125: " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /** The request path of outbound connections, starting with {@code /}. Default {@code /}. */
        public Builder connectPath(String path) {
            this.connectPath = requirePath(path, "connectPath");
            return this;
        }

        public WebSocketConfig build() {
            return new WebSocketConfig(this);
        }

        private static String requirePath(String path, String name) {
            Objects.requireNonNull(path, name);
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException(name + " must start with / and hold no spaces or controls: " + path);
            }
            return path;
        }
    }
}
