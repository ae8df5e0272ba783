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
 * Watches the script's directory and calls {@code reload} once changes to its {@code .js} /
 * {@code .mjs} files have been quiet for the debounce time (editors write a file in several
 * steps; one reload per save). The reload itself decides whether anything changed.
 */
final class ScriptWatcher implements AutoCloseable {

    static final Duration DEBOUNCE = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(ScriptWatcher.class);

    private final WatchService service;
    private final Runnable reload;
    private final Thread thread;

    ScriptWatcher(Path directory, Runnable reload) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.reload = reload;
        directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
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
