package sip.script.internal.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What the command line asks for: parsed from the arguments, checked for syntax only (no file access). */
sealed interface Invocation {

    /**
     * {@code parley run SCRIPT [--listen PROTO:HOST:PORT]... [--tls-cert PEM --tls-key PEM] [--workers N]}.
     *
     * @param listen the {@code --listen} addresses in order; empty: the script's
     *     {@code config.listen}, else the defaults
     * @param tls the certificate chain and private key, both or neither
     * @param watch whether a change of the script's files reloads it ({@code --no-watch}: only
     *     SIGHUP and {@code parley reload} do)
     */
    record Run(Path script, List<ListenAddress> listen, Optional<TlsFiles> tls, OptionalInt workers, boolean watch)
            implements Invocation {
        public Run {
            Objects.requireNonNull(script, "script");
            listen = List.copyOf(listen);
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(workers, "workers");
        }
    }

    /** PEM files for the TLS provider. */
    record TlsFiles(Path certificateChain, Path privateKey) {
    }

    /** {@code parley check SCRIPT}. */
    record Check(Path script) implements Invocation {
    }

    /** {@code parley reload SCRIPT}. */
    record Reload(Path script) implements Invocation {
    }

    /** {@code parley --help}. */
    record Help() implements Invocation {
    }

    /** {@code parley --version}. */
    record Version() implements Invocation {
    }

    /** Bad command-line syntax: exit status 2. */
    final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Parses the arguments after {@code parley}. */
    static Invocation parse(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        if (args.contains("--help") || args.contains("-h") || args.getFirst().equals("help")) {
            return new Help();
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (command) {
            case "--version", "-V", "version" -> {
                requireNothingAfter(command, rest);
                yield new Version();
            }
            case "run" -> parseRun(rest);
            case "check" -> new Check(onlyScript(command, rest));
            case "reload" -> new Reload(onlyScript(command, rest));
            default -> throw new UsageException(command.startsWith("-")
                    ? "unknown option " + command : "unknown command '" + command + "'");
        };
    }

    private static Run parseRun(List<String> args) throws UsageException {
        Path script = null;
        List<ListenAddress> listen = new ArrayList<>();
        Path certificate = null;
        Path key = null;
        OptionalInt workers = OptionalInt.empty();
        boolean watch = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--listen", "--tls-cert", "--tls-key", "--workers" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (name) {
                        case "--listen" -> listen.add(listenAddress(value));
                        case "--tls-cert" -> certificate = Path.of(value);
                        case "--tls-key" -> key = Path.of(value);
                        default -> workers = OptionalInt.of(workers(value));
                    }
                }
                case "--no-watch" -> watch = false;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg + " for run");
                    }
                    if (script != null) {
                        throw new UsageException("unexpected argument '" + arg + "' (run takes one SCRIPT)");
                    }
                    script = Path.of(arg);
                }
            }
        }
        if (script == null) {
            throw new UsageException("run needs a SCRIPT");
        }
        if ((certificate == null) != (key == null)) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        Optional<TlsFiles> tls = certificate == null ? Optional.empty() : Optional.of(new TlsFiles(certificate, key));
        return new Run(script, listen, tls, workers, watch);
    }

    private static ListenAddress listenAddress(String value) throws UsageException {
        try {
            return ListenAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad --listen '" + value + "': " + e.getMessage());
        }
    }

    private static int workers(String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("bad --workers '" + value + "': expected a whole number of at least 1");
    }

    private static Path onlyScript(String command, List<String> args) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException(command + " needs a SCRIPT");
        }
        if (args.getFirst().startsWith("-")) {
            throw new UsageException("unknown option " + args.getFirst() + " for " + command);
        }
        requireNothingAfter(command, args.subList(1, args.size()));
        return Path.of(args.getFirst());
    }

    private static void requireNothingAfter(String command, List<String> rest) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException("unexpected argument '" + rest.getFirst() + "' after " + command);
        }
    }
}
