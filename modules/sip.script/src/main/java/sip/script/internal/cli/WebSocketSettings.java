package sip.script.internal.cli;

import sip.script.ScriptConfig;
import sip.transport.spi.TransportConfig;
import sip.transport.ws.WebSocketConfig;

/**
 * {@code config.websocket} as the WebSocket transport takes it ({@link WebSocketConfig}, a
 * {@link TransportConfig} extension). The one class of sip.script that names
 * {@code sip.transport.ws}, an optional module ({@code requires static}): it is loaded only for a
 * script that sets {@code config.websocket}, after {@link #available()} said the module is there.
 */
final class WebSocketSettings {

    private static final String CONFIG_CLASS = "sip.transport.ws.WebSocketConfig";

    private WebSocketSettings() {
    }

    /** True when the WebSocket transport's module is present (resolved and readable from here). */
    static boolean available() {
        try {
            Class.forName(CONFIG_CLASS, false, WebSocketSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * {@code config} with {@code ws} as its WebSocket settings.
     *
     * @throws IllegalArgumentException if the transport refuses a value (its message says which)
     */
    static TransportConfig apply(TransportConfig config, ScriptConfig.WebSocket ws) {
        WebSocketConfig.Builder b = WebSocketConfig.newBuilder();
        ws.path().ifPresent(b::path);
        if (!ws.allowedOrigins().isEmpty()) {
            b.allowedOrigins(ws.allowedOrigins());
        }
        return config.toBuilder().extension(WebSocketConfig.class, b.build()).build();
    }
}
