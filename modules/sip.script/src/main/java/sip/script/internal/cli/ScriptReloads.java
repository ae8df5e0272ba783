package sip.script.internal.cli;

import java.io.PrintStream;
import sip.script.ReloadResult;
import sip.script.ScriptRuntime;
import sip.script.ScriptVersion;

/**
 * How {@code parley run} reports reloads, whatever asked (a file change seen by the runtime's
 * watcher, SIGHUP, {@code parley reload}): the runtime calls {@link #reported} after every reload
 * that loaded or rejected a version, which prints one line on standard output
 * ({@code parley: loaded proxy.js version 2 (sha256 0123456789ab)} or
 * {@code parley: reload rejected: proxy.js:3:7: SyntaxError: ...; still serving version 1}); an
 * unchanged script is printed only when asked for ({@link #reload}).
 */
final class ScriptReloads {

    /** How a rejection line starts (what {@code parley reload} tells apart). */
    static final String REJECTED = "reload rejected: ";

    private final PrintStream out;
    private volatile ScriptRuntime runtime;

    ScriptReloads(PrintStream out) {
        this.out = out;
    }

    /** The runtime whose reloads {@link #reload} asks for (set once it is built). */
    void attach(ScriptRuntime runtime) {
        this.runtime = runtime;
    }

    /** The runtime's {@code onReload} listener: a version loaded or rejected (any thread). */
    void reported(ReloadResult result) {
        print(describe(result));
    }

    /**
     * Reloads on request (SIGHUP, {@code parley reload}). A loaded or rejected version is printed
     * by {@link #reported}; an unchanged script is printed here, as the answer to the request.
     *
     * @return the outcome line, without the {@code parley: } prefix
     */
    String reload() {
        ReloadResult result = runtime.reload();
        String line = describe(result);
        if (result instanceof ReloadResult.Unchanged) {
            print(line);
        }
        return line;
    }

    private synchronized void print(String line) {
        out.println("parley: " + line);
        out.flush();
    }

    static String describe(ReloadResult result) {
        return switch (result) {
            case ReloadResult.Loaded(var version) -> loaded(version);
            case ReloadResult.Unchanged(var version) -> "unchanged: still serving " + name(version)
                    + " version " + version.number() + " (sha256 " + shortHash(version) + ")";
            case ReloadResult.Rejected(var error, var kept) -> REJECTED + oneLine(error.toString())
                    + "; still serving version " + kept.number();
        };
    }

    /** {@code loaded proxy.js version 1 (sha256 0123456789ab)}. */
    static String loaded(ScriptVersion version) {
        return "loaded " + name(version) + " version " + version.number() + " (sha256 " + shortHash(version) + ")";
    }

    private static String name(ScriptVersion version) {
        return String.valueOf(version.file().getFileName());
    }

    private static String shortHash(ScriptVersion version) {
        return version.sha256().substring(0, Math.min(12, version.sha256().length()));
    }

    /** A syntax error's source excerpt would break the one-line contract: keep its first line. */
    static String oneLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
