package sip.script.internal.cli;

import org.graalvm.polyglot.Engine;

/**
 * Whether scripts run on the optimizing Truffle runtime (compiled to machine code by the Graal
 * compiler through JVMCI) or on the Truffle interpreter, as one line for {@code parley run}.
 *
 * <p>The launcher ({@code bin/parley} of the image) starts the VM with JVMCI and the compiler jar
 * when it can and passes {@code -Dparley.compiler=JAR}; when it cannot, it passes
 * {@code -Dparley.interpreter.reason=...} instead. Even with the jar, Truffle falls back to the
 * interpreter when the compiler does not fit the VM (e.g. a compiler needing a newer JVMCI), so
 * the verdict is the polyglot engine's own.
 *
 * @param optimizing whether the optimizing runtime is on
 * @param line what to print, without the {@code parley: } prefix
 */
record TruffleRuntimeReport(boolean optimizing, String line) {

    static TruffleRuntimeReport probe() {
        String implementation;
        // Truffle's runtime is one per VM: a throwaway engine answers for the runtime's engine.
        try (Engine engine = Engine.newBuilder().option("engine.WarnInterpreterOnly", "false").build()) {
            implementation = engine.getImplementationName();
        }
        return of(implementation, System.getProperty("parley.compiler"), System.getProperty("parley.interpreter.reason"));
    }

    static TruffleRuntimeReport of(String implementation, String compilerJar, String launcherReason) {
        if (!"Interpreted".equals(implementation)) {
            return new TruffleRuntimeReport(true, "optimizing Truffle runtime on (" + implementation + ")");
        }
        String reason;
        if (launcherReason != null && !launcherReason.isBlank()) {
            reason = launcherReason;
        } else if (compilerJar != null) {
            reason = "the Graal compiler " + compilerJar + " did not start; run with"
                    + " PARLEY_JAVA_OPTS=-Dpolyglot.engine.WarnInterpreterOnly=true to see why";
        } else {
            reason = "not started by the parley launcher with the Graal compiler";
        }
        return new TruffleRuntimeReport(false,
                "notice: scripts run on the Truffle interpreter, not the optimizing runtime (" + reason + ")");
    }
}
