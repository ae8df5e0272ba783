package sip.script.internal.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the script's directory tree (imports are confined to it; at most
 * {@value #MAX_DIRECTORIES} directories, 4 levels deep) and calls {@code reload} once changes to
 * {@code .js} / {@code .mjs} files have been quiet for the debounce time (editors write a file in
 * several steps; one reload per save). Other files do not count: output redirected into the
 * directory would otherwise reload on every line. The reload itself decides whether anything the
 * serving version loaded changed.
 */
final class ScriptWatcher implements AutoCloseable {

    static final Duration DEBOUNCE = Duration.ofMillis(200);
    /** Directories watched at most: a script's directory is small; a home directory is not watched whole. */
    static final int MAX_DIRECTORIES = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ScriptWatcher.class);

    private final WatchService service;
    private final Runnable reload;
    private final Thread thread;

    ScriptWatcher(Path directory, Runnable reload) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.reload = reload;
        try {
            java.util.List<Path> directories;
            try (java.util.stream.Stream<Path> tree = java.nio.file.Files.walk(directory, 4)) {
                directories = tree.filter(java.nio.file.Files::isDirectory).limit(MAX_DIRECTORIES).toList();
            }
            for (Path d : directories) {
                d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("parley-script-watch").daemon(true).start(this::loop);
    }

    private void loop() {
        try {
            for (;;) {
                WatchKey key = service.take();
                boolean relevant = relevant(key);
                // Debounce: keep draining until the directory is quiet.
                WatchKey more;
                while ((more = service.poll(DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    relevant |= relevant(more);
                }
                if (relevant) {
                    try {
                        reload.run();
                    } catch (RuntimeException e) {
                        LOG.error("reload failed", e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static boolean relevant(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
            } else if (e.context() instanceof Path p) {
                String n = p.getFileName().toString();
                relevant |= n.endsWith(".js") || n.endsWith(".mjs");
            }
        }
        key.reset();
        return relevant;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service", e);
        }
        thread.interrupt();
    }
}
