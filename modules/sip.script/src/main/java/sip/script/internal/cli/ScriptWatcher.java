package sip.script.internal.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the script when a {@code .js} or {@code .mjs} file in its directory tree changes (the
 * script, or a module it imports: imports are confined to that tree). Events are debounced: a save that writes, renames
 * and touches is one reload, run {@value #QUIET_MILLIS} ms after the last event. A save that
 * leaves the content as it was reloads nothing (the runtime compares hashes) and prints nothing.
 *
 * <p>The CLI watches rather than {@code ScriptRuntime.Builder.watch(true)} because it must print
 * every outcome, and the runtime reports the outcome only to the caller of {@code reload()}.
 */
final class ScriptWatcher implements AutoCloseable {

    static final long QUIET_MILLIS = 150;
    /** Directories watched at most: a script's directory is small; a home directory is not watched whole. */
    private static final int MAX_DIRECTORIES = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ScriptWatcher.class);

    private final WatchService watcher;
    private final ScriptReloads reloads;
    private final Thread thread;

    private ScriptWatcher(WatchService watcher, ScriptReloads reloads) {
        this.watcher = watcher;
        this.reloads = reloads;
        this.thread = Thread.ofPlatform().daemon().name("parley-watch").start(this::loop);
    }

    /** Starts watching the directory tree of {@code script}. */
    static ScriptWatcher start(Path script, ScriptReloads reloads) throws IOException {
        Path directory = script.toAbsolutePath().normalize().getParent();
        WatchService watcher = FileSystems.getDefault().newWatchService();
        try {
            List<Path> directories;
            try (Stream<Path> tree = Files.walk(directory, 4)) {
                directories = tree.filter(Files::isDirectory).limit(MAX_DIRECTORIES).toList();
            }
            for (Path d : directories) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException | RuntimeException e) {
            watcher.close();
            throw e;
        }
        return new ScriptWatcher(watcher, reloads);
    }

    private void loop() {
        try {
            while (true) {
                boolean scripts = drain(watcher.take());
                // Debounce: wait until the directory has been quiet for a while.
                for (WatchKey more; (more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
                    scripts |= drain(more);
                }
                if (!scripts) {
                    continue;
                }
                try {
                    reloads.reload(false);
                } catch (RuntimeException e) {
                    LOG.error("reload after a file change failed", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /**
     * Whether the events name a module file. Others do not count: parley's own output redirected
     * into the script's directory would otherwise reload on every line it prints.
     */
    private static boolean drain(WatchKey key) {
        boolean scripts = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                scripts = true;
            } else if (event.context() instanceof Path file) {
                String name = file.getFileName().toString();
                scripts |= name.endsWith(".js") || name.endsWith(".mjs");
            }
        }
        key.reset();
        return scripts;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the file watcher failed", e);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
