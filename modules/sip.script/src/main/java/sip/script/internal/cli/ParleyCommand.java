package sip.script.internal.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import sip.script.ScriptCheck;
import sip.script.ScriptConfig;
import sip.script.Scripts;

/**
 * The {@code parley} command, runnable in-process: {@link #execute} takes the arguments and
 * writes to the given streams, so tests drive it like the launcher does. Standard output carries
 * the lines other programs wait for ({@code parley: listening on ...}, {@code parley: loaded ...},
 * {@code parley: ready}, {@code parley: stopped}); errors go to standard error as
 * {@code parley: <message>}.
 *
 * <p>Exit statuses: {@value #OK} success, {@value #FAILED} an error (script, file, network),
 * {@value #USAGE} a bad command line.
 *
 * <p>{@link #stop()} and {@link #reload()} may be called from any thread (signal handlers, a
 * shutdown hook, a test) while {@code execute} runs {@code parley run}.
 */
public final class ParleyCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: parley run SCRIPT [--listen PROTO:HOST:PORT]... [--tls-cert PEM --tls-key PEM] [--workers N] [--no-watch]
                   parley check SCRIPT
                   parley reload SCRIPT
                   parley --help | --version
            """;

    static final String HELP_TEXT = USAGE_TEXT + """

            Runs a JavaScript routing script (an ES module exporting onRequest) as a SIP proxy
            and registrar.

              run SCRIPT    serve SIP with SCRIPT until Ctrl-C or SIGTERM; reload it when it (or a
                            file in its directory) changes, on SIGHUP and on `parley reload SCRIPT`
                --listen PROTO:HOST:PORT   where to listen, repeatable; replaces the script's
                            config.listen (default udp:127.0.0.1:5060 and tcp:127.0.0.1:5060);
                            port 0 takes a free port
                            PROTO: udp, tcp, tls, ws (SIP over WebSocket, RFC 7118) or wss
                            (WebSocket over TLS: what browser phones such as JsSIP use)
                --tls-cert PEM --tls-key PEM   certificate chain and private key (PKCS#8) for
                            tls: and wss: listeners
                --workers N   JavaScript worker threads (default: config.workers, else one per CPU)
                --no-watch    reload only on SIGHUP and `parley reload`, not on file changes
              check SCRIPT  compile SCRIPT and validate its exports, opening no socket; prints OK
                            with its exports and config, or file:line:column: message
              reload SCRIPT ask the running `parley run SCRIPT` to reload, and print the outcome

            Exit status: 0 success, 1 error (script, file, network), 2 bad command line.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile RunCommand running;

    public ParleyCommand(PrintStream out, PrintStream err) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /**
     * Runs the command the arguments name. For {@code run}, returns only after {@link #stop()}
     * (then the routing stopped gracefully and {@code parley: stopped} was printed) or when it
     * cannot start.
     *
     * @return the exit status
     */
    public int execute(List<String> args) {
        try {
            return dispatch(args);
        } finally {
            finished.complete(null);
        }
    }

    /**
     * Waits (up to 30 s) until {@link #execute} returned: a shutdown hook holds the VM until
     * {@code parley run} closed gracefully.
     */
    void awaitFinished() {
        try {
            finished.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // exiting anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int dispatch(List<String> args) {
        Invocation invocation;
        try {
            invocation = Invocation.parse(args);
        } catch (Invocation.UsageException e) {
            err.println("parley: " + e.getMessage());
            err.print(USAGE_TEXT);
            err.println("Run 'parley --help' for details.");
            err.flush();
            return USAGE;
        }
        return switch (invocation) {
            case Invocation.Help() -> {
                out.print(HELP_TEXT);
                out.flush();
                yield OK;
            }
            case Invocation.Version() -> {
                out.println(versionLine());
                out.flush();
                yield OK;
            }
            case Invocation.Check(Path script) -> check(script);
            case Invocation.Reload(Path script) -> reloadClient(script);
            case Invocation.Run run -> run(run);
        };
    }

    /** Asks a running {@code parley run} to stop gracefully; before or after it, a no-op but remembered. */
    public void stop() {
        stopRequested.complete(null);
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopRequested.isDone();
    }

    /** Reloads the running script (SIGHUP); prints the outcome. A no-op until the script is loaded. */
    public void reload() {
        RunCommand run = running;
        ScriptReloads reloads = run == null ? null : run.reloads();
        if (reloads != null) {
            try {
                reloads.reload();
            } catch (IllegalStateException e) {
                // closed while the signal was on its way: nothing left to reload
            }
        }
    }

    /** Where {@code parley run SCRIPT} serves {@code parley reload SCRIPT} (a Unix-domain socket). */
    public static Path controlSocket(Path script) {
        return ControlSocket.pathFor(script);
    }

    /** {@code parley 0.1.0 (Java 25.0.3+9)}. */
    static String versionLine() {
        String version = ParleyCommand.class.getModule().getDescriptor() == null ? null
                : ParleyCommand.class.getModule().getDescriptor().rawVersion().orElse(null);
        return "parley " + (version == null ? "(development build)" : version)
                + " (Java " + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")";
    }

    private int run(Invocation.Run run) {
        if (!isFile(run.script())) {
            return FAILED;
        }
        RunCommand command = new RunCommand(run, out, err);
        running = command;   // before start prints ready: a SIGHUP after ready must find it
        try {
            if (!command.start()) {
                return FAILED;
            }
            stopRequested.join();
            return OK;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ParleyCommand.class).error("parley run failed", e);
            err.println("parley: internal error: " + e);
            err.flush();
            return FAILED;
        } finally {
            running = null;
            command.close();
        }
    }

    private int check(Path script) {
        if (!isFile(script)) {
            return FAILED;
        }
        return switch (Scripts.check(script)) {
            case ScriptCheck.Invalid(var error) -> {
                // Compiler style, first thing on the line, so editors and CI logs link to it.
                err.println(error);
                err.flush();
                yield FAILED;
            }
            case ScriptCheck.Valid(var config, var exports) -> {
                out.println(script.getFileName() + ": OK");
                out.println("  exports: " + exports.stream().sorted().collect(Collectors.joining(", ")));
                out.println("  " + describe(config).replace("\n", "\n  "));
                out.flush();
                yield OK;
            }
        };
    }

    static String describe(ScriptConfig config) {
        return "listen: " + (config.listen().isEmpty() ? "(not set: " + String.join(", ", RunCommand.DEFAULT_LISTEN) + ")"
                : String.join(", ", config.listen()))
                + "\ndomains: " + (config.domains().isEmpty() ? "(any)" : String.join(", ", config.domains()))
                + "\nauth: " + config.auth().map(a -> "realm " + a.realm() + ", " + a.users().size() + " user(s)").orElse("(none)")
                + "\nworkers: " + (config.workers().isPresent() ? String.valueOf(config.workers().getAsInt()) : "(one per CPU)")
                + config.websocket().map(w -> "\nwebsocket: path " + w.path().orElse("(any)") + ", origins "
                        + (w.allowedOrigins().isEmpty() ? "(any)" : String.join(", ", w.allowedOrigins()))).orElse("");
    }

    private int reloadClient(Path script) {
        if (!isFile(script)) {
            return FAILED;
        }
        Optional<String> reply;
        Path socket = ControlSocket.pathFor(script);
        try {
            reply = ControlSocket.request(socket, ControlSocket.RELOAD);
        } catch (java.io.IOException e) {
            err.println("parley: cannot reach the parley run of " + script + " at " + socket + ": " + e.getMessage());
            err.flush();
            return FAILED;
        }
        if (reply.isEmpty()) {
            err.println("parley: no parley run of " + script + " is running (no control socket at " + socket + ")");
            err.flush();
            return FAILED;
        }
        boolean rejected = reply.get().startsWith(ScriptReloads.REJECTED);
        (rejected ? err : out).println("parley: " + reply.get());
        (rejected ? err : out).flush();
        return rejected ? FAILED : OK;
    }

    private boolean isFile(Path script) {
        if (Files.isRegularFile(script)) {
            return true;
        }
        err.println("parley: " + script + (Files.exists(script) ? ": not a file" : ": no such file"));
        err.flush();
        return false;
    }
}
