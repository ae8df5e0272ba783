package sip.script.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root {@code ./parley} rebuilds the image only when what goes into it changed: a
 * {@code pom.xml} or a {@code src/main/**} file, not a test or a README. Run on a copy of the
 * script in a fake checkout whose {@code mvnw} only records that it was called.
 */
class LauncherStalenessTest {

    private static final Path SCRIPT = Path.of("../../parley");
    private static final Instant BUILT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path root;

    @Test
    void aTestOrReadmeEditDoesNotRebuild() throws Exception {
        checkout();
        newer("modules/sip.x/src/test/java/XTest.java");
        newer("modules/sip.x/README.md");
        newer("README.md");
        assertFalse(runBuilds(), "rebuilt for a test or README edit");
    }

    @Test
    void aMainSourceOrPomEditRebuilds() throws Exception {
        checkout();
        newer("modules/sip.x/src/main/java/X.java");
        assertTrue(runBuilds(), "a main source edit must rebuild");
        checkout();
        newer("modules/sip.x/pom.xml");
        assertTrue(runBuilds(), "a pom.xml edit must rebuild");
        checkout();
        newer("distribution/src/main/image/parley");
        assertTrue(runBuilds(), "a distribution source edit must rebuild");
    }

    /** A fake checkout: the script, a recording mvnw, a launcher built at BUILT, old sources. */
    private void checkout() throws IOException {
        Files.copy(SCRIPT, root.resolve("parley"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        executable("parley");
        Files.writeString(root.resolve("mvnw"), "#!/bin/sh\necho built > \"$(dirname \"$0\")/built\"\n");
        executable("mvnw");
        Files.deleteIfExists(root.resolve("built"));
        Path launcher = root.resolve("distribution/target/parley/bin/parley");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        executable("distribution/target/parley/bin/parley");
        for (String old : new String[] {"pom.xml", "modules/sip.x/pom.xml", "modules/sip.x/src/main/java/X.java",
                "modules/sip.x/src/test/java/XTest.java", "modules/sip.x/README.md", "distribution/pom.xml",
                "distribution/src/main/image/parley", "README.md"}) {
            Path p = file(old);
            Files.setLastModifiedTime(p, FileTime.from(BUILT.minusSeconds(60)));
        }
        Files.setLastModifiedTime(launcher, FileTime.from(BUILT));
    }

    private Path file(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        if (!Files.exists(p)) {
            Files.writeString(p, "x\n");
        }
        return p;
    }

    private void newer(String relative) throws IOException {
        Files.setLastModifiedTime(file(relative), FileTime.from(BUILT.plusSeconds(60)));
    }

    private void executable(String relative) throws IOException {
        Files.setPosixFilePermissions(root.resolve(relative), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code ./parley}; true when it called mvnw to rebuild. */
    private boolean runBuilds() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", root.resolve("parley").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "./parley did not end");
        assertEquals(0, p.exitValue());
        return Files.exists(root.resolve("built"));
    }
}
