package sip.script.internal.js;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The JS half of the binding ({@code prelude.js}): evaluated once per context, it wraps the Java
 * views in classes with getters and returns the {@code dispatch(jx, jreq)} function a worker
 * calls per request (true while an async handler is pending).
 */
public final class Prelude {

    /** The prelude's source name, as it appears in stack traces (skipped in script locations). */
    public static final String NAME = "parley-prelude.js";

    private static final Source SOURCE = load();

    private Prelude() {
    }

    /**
     * Installs the binding in {@code context} for a module whose namespace is {@code exports}.
     *
     * @return the dispatch function
     */
    public static Value install(Context context, Value exports, JsServices services) {
        return context.eval(SOURCE).execute(services, exports);
    }

    private static Source load() {
        try (InputStream in = Prelude.class.getResourceAsStream("prelude.js")) {
            if (in == null) {
                throw new IllegalStateException("prelude.js missing from the module");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Source.newBuilder("js", text, NAME).cached(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
