package sip.script.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the example scripts are: surefire's {@code parley.examples}, else the repository's from the module. */
final class Examples {
    private Examples() {
    }

    static Path script(String name) {
        Path dir = Path.of(System.getProperty("parley.examples", "../../examples"));
        Path script = dir.resolve(name);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("example script not found: " + script.toAbsolutePath());
        }
        return script;
    }
}
