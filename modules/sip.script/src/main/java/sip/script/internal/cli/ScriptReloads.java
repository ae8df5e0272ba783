package sip.script.internal.cli;

import java.io.PrintStream;
import sip.script.ReloadResult;
import sip.script.ScriptRuntime;
import sip.script.ScriptVersion;

/**
 * The one way {@code parley run} reloads its script, whatever asked (a file change, SIGHUP,
 * {@code parley reload}): one reload at a time, each outcome printed on standard output as one
 * line ({@code parley: loaded proxy.js version 2 (sha256 0123456789ab)} or
 * {@code parley: reload rejected: proxy.js:3:7: SyntaxError: ...; still serving version 1}).
 */
final class ScriptReloads {

    /** How a rejection line starts (what {@code parley reload} tells apart). */
    static final String REJECTED = "reload rejected: ";

    private final ScriptRuntime runtime;
    private final PrintStream out;

    ScriptReloads(ScriptRuntime runtime, PrintStream out) {
        this.runtime = runtime;
        this.out = out;
    }

    /**
     * Reloads and prints the outcome. An unchanged script is printed only when {@code asked}
     * (SIGHUP, {@code parley reload}): a file change that leaves the content as it was (an editor
     * saving twice) says nothing.
     *
     * @return the outcome line, without the {@code parley: } prefix
     */
    synchronized String reload(boolean asked) {
        ReloadResult result = runtime.reload();
        String line = describe(result);
        if (asked || !(result instanceof ReloadResult.Unchanged)) {
            out.println("parley: " + line);
            out.flush();
        }
        return line;
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
