package sip.script.internal.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sip.router.UserAgent;
import sip.script.ScriptConfig;
import sip.script.ScriptException;
import sip.script.ScriptRuntime;
import sip.transport.spi.Listener;
import sip.transport.spi.NoTransportProviderException;
import sip.transport.spi.TlsConfig;
import sip.transport.spi.TransportConfig;

/**
 * {@code parley run}: a user agent with the script's runtime on it (watching the script's files
 * unless {@code --no-watch}), its listeners and the control socket; {@link #start()} brings them up in that order, printing the
 * contract lines, {@link #close()} takes them down in reverse and prints {@code parley: stopped}.
 */
final class RunCommand implements AutoCloseable {

    static final List<String> DEFAULT_LISTEN = List.of("udp:127.0.0.1:5060", "tcp:127.0.0.1:5060");

    private final Invocation.Run run;
    private final PrintStream out;
    private final PrintStream err;
    private UserAgent userAgent;
    private ScriptRuntime runtime;
    private volatile ScriptReloads reloads;
    private ControlSocket control;
    private boolean started;

    RunCommand(Invocation.Run run, PrintStream out, PrintStream err) {
        this.run = run;
        this.out = out;
        this.err = err;
    }

    /**
     * Loads the script and listens. On failure prints {@code parley: <why>} and returns false;
     * {@link #close()} then releases whatever was opened.
     */
    boolean start() {
        Path script = run.script();
        TransportConfig transports;
        try {
            transports = transportConfig();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        if (!load(transports)) {
            return false;
        }
        Optional<ScriptConfig.WebSocket> websocket = runtime.config().websocket();
        if (websocket.isPresent()) {
            // config.websocket is known once the script is loaded: applied to the user agent's
            // transports before the first one opens (the listeners below), so the script's top
            // level runs once. A script whose top level already opened one (it sent something)
            // is loaded again on an agent that has them (a reload that changes
            // config.websocket is reported as needing a restart).
            if (!WebSocketSettings.available()) {
                return fail(script.getFileName() + ": config.websocket: this installation has no WebSocket"
                        + " transport (module sip.transport.ws)");
            }
            TransportConfig withWebSocket;
            try {
                withWebSocket = WebSocketSettings.apply(transports, websocket.get());
            } catch (IllegalArgumentException e) {
                return fail(script.getFileName() + ": config.websocket: " + e.getMessage());
            }
            try {
                userAgent.configureTransports(current -> withWebSocket);
            } catch (IllegalStateException transportsOpen) {
                runtime.close();
                userAgent.close();
                if (!load(withWebSocket)) {
                    return false;
                }
            }
        }

        List<ListenAddress> addresses;
        try {
            addresses = listenAddresses();
        } catch (IllegalArgumentException e) {
            return fail(script.getFileName() + ": config.listen: " + e.getMessage());
        }
        for (ListenAddress address : addresses) {
            if (address.protocol().equals("tls") && run.tls().isEmpty()) {
                return fail("cannot listen on " + address + ": TLS needs --tls-cert and --tls-key");
            }
            if (address.protocol().equals("wss") && run.tls().isEmpty()) {
                return fail("cannot listen on " + address + ": WSS (WebSocket over TLS) needs --tls-cert and --tls-key");
            }
            try {
                Listener listener = userAgent.listen(address.protocol(), address.hostPort());
                print("listening on " + address.protocol() + ":" + hostPort(listener.localAddress()));
            } catch (IOException | NoTransportProviderException | IllegalArgumentException e) {
                return fail("cannot listen on " + address + ": " + bindFailure(e));
            }
        }
        print(ScriptReloads.loaded(runtime.version()));

        TruffleRuntimeReport truffle = TruffleRuntimeReport.probe();
        (truffle.optimizing() ? out : err).println("parley: " + truffle.line());

        Path socket = ControlSocket.pathFor(script);
        try {
            Optional<ControlSocket> opened = ControlSocket.open(socket, this::command);
            control = opened.orElse(null);
            if (opened.isEmpty()) {
                err.println("parley: warning: another parley run of " + script + " holds " + socket
                        + "; `parley reload` reaches that one, SIGHUP reloads this one");
            }
        } catch (IOException e) {
            return fail("cannot open the control socket for " + script + ": " + e.getMessage());
        }
        started = true;
        print("ready");
        return true;
    }

    /** A user agent on {@code transports} with the script's runtime on it; false (printed) when the script fails. */
    private boolean load(TransportConfig transports) {
        userAgent = UserAgent.newBuilder().name("Parley").transportConfig(transports).build();
        try {
            ScriptReloads printer = new ScriptReloads(out);
            ScriptRuntime.Builder builder = ScriptRuntime.newBuilder(run.script()).userAgent(userAgent)
                    .watch(run.watch()).onReload(printer::reported);
            run.workers().ifPresent(builder::workers);
            runtime = builder.build();
            printer.attach(runtime);
            reloads = printer;
            return true;
        } catch (ScriptException e) {
            return fail(e.error().toString());
        }
    }

    /** {@code 127.0.0.1:5060}, {@code [::1]:5060}: the bound address, real port included. */
    static String hostPort(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return host + ":" + bound.getPort();
    }

    /**
     * Why a listener could not bind, in the OS's terms: only EADDRINUSE is "address already in
     * use"; an address no interface has (EADDRNOTAVAIL) and a privileged port (EACCES) say so; any
     * other reason is the exception's own message.
     */
    static String bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                String os = t.getMessage() == null ? "" : t.getMessage();
                String lower = os.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("already in use")) {
                    return "address already in use";
                }
                if (lower.contains("cannot assign requested address") || lower.contains("not available")) {
                    return "address not available on this host";
                }
                if (lower.contains("permission denied") || lower.contains("access denied")) {
                    return "permission denied";
                }
                return os.isEmpty() ? "cannot bind" : lower;
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** Null until the script is loaded. */
    ScriptReloads reloads() {
        return reloads;
    }

    private String command(String line) {
        return line.equals(ControlSocket.RELOAD) ? reloads.reload() : "error: unknown command '" + line + "'";
    }

    private List<ListenAddress> listenAddresses() {
        if (!run.listen().isEmpty()) {
            return run.listen();
        }
        List<String> configured = runtime.config().listen().isEmpty() ? DEFAULT_LISTEN : runtime.config().listen();
        List<ListenAddress> addresses = new ArrayList<>();
        for (String text : configured) {
            try {
                addresses.add(ListenAddress.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
            }
        }
        return addresses;
    }

    private TransportConfig transportConfig() {
        if (run.tls().isEmpty()) {
            return TransportConfig.defaults();
        }
        Invocation.TlsFiles files = run.tls().get();
        for (Path file : List.of(files.certificateChain(), files.privateKey())) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(file + (Files.exists(file) ? ": cannot read" : ": no such file"));
            }
        }
        return TransportConfig.newBuilder()
                .tls(TlsConfig.newBuilder().certificate(files.certificateChain(), files.privateKey()).build())
                .build();
    }

    private boolean fail(String message) {
        err.println("parley: " + message);
        err.flush();
        return false;
    }

    private void print(String line) {
        out.println("parley: " + line);
        out.flush();
    }

    /** Stops reloading, lets requests in flight finish, closes the listeners. Idempotent. */
    @Override
    public void close() {
        reloads = null;
        if (control != null) {
            control.close();
            control = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
        if (userAgent != null) {
            userAgent.close();
            userAgent = null;
        }
        if (started) {
            started = false;
            print("stopped");
        }
    }
}
