package sip.script.internal.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.io.IOAccess;

/**
 * How every script context is built: the one place the sandbox is defined. Scripts reach only
 * {@code @HostAccess.Export} members (and host arrays the binding hands them); no host class
 * lookup ({@code Java.type} fails), no threads, no native access, no processes, no environment,
 * no other languages ({@code Polyglot} is absent), no {@code load}; file access is read-only and
 * confined to the script's directory ({@link ConfinedFileSystem}), for {@code import}.
 */
final class Sandbox {

    static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.EXPLICIT)
            .allowArrayAccess(true)
            .build();

    private Sandbox() {
    }

    /**
     * A new engine for one executor (the statement limit is an engine-wide setting in GraalVM:
     * contexts sharing an engine must share its limit). Truffle's interpreter-only warning is
     * off: the CLI prints its own one-line notice.
     */
    static Engine newEngine() {
        return Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
    }

    /**
     * A sandboxed context on {@code engine} for a script in {@code directory}.
     *
     * @param statementLimit statements between two {@link Context#resetLimits()} calls; when
     *     exceeded the context is cancelled (the running call throws a resource-exhausted
     *     {@link org.graalvm.polyglot.PolyglotException}) and must be replaced
     */
    static Context newContext(Engine engine, Path directory, long statementLimit) throws IOException {
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(name -> false)
                .allowHostClassLoading(false)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.newBuilder().fileSystem(new ConfinedFileSystem(directory)).build())
                .allowExperimentalOptions(true)
                .option("js.ecmascript-version", "2024")
                .option("js.esm-eval-returns-exports", "true")
                .option("js.load", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.java-package-globals", "false")
                .option("js.graal-builtin", "false")
                .option("js.print", "false")
                .option("js.console", "true")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(statementLimit, null).build())
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
    }
}
