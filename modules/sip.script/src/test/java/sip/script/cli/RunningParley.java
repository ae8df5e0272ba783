package sip.script.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import sip.script.internal.cli.ParleyCommand;

/**
 * {@code parley run ...} executing in-process on its own thread, its output captured; what the
 * launcher's {@code main} does, minus the signal handlers (a test must not take the VM's SIGINT).
 */
final class RunningParley implements AutoCloseable {

    final Console out = new Console();
    final Console err = new Console();
    final ParleyCommand command = new ParleyCommand(out.stream, err.stream);
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    RunningParley(String... args) {
        Thread.ofPlatform().name("parley-under-test").start(() -> {
            try {
                exit.complete(command.execute(List.of(args)));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
    }

    /** Waits for {@code parley: ready}, failing with the output if it exits first. */
    RunningParley awaitReady() throws Exception {
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                out.await("parley: ready");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture.anyOf(ready, exit).get(90, TimeUnit.SECONDS);
        if (!ready.isDone()) {
            throw new AssertionError("parley exited with " + exit.get() + " before ready:\n" + out.text() + "\n" + err.text());
        }
        return this;
    }

    /** The exit status of a run that ends by itself (a start-up failure). */
    int exitStatus() throws Exception {
        return exit.get(90, TimeUnit.SECONDS);
    }

    /** What Ctrl-C does: a graceful stop; returns the exit status. */
    int stop() throws Exception {
        command.stop();
        return exitStatus();
    }

    @Override
    public void close() throws Exception {
        if (!exit.isDone()) {
            stop();
        }
    }

    static Duration patience() {
        return Duration.ofSeconds(60);
    }
}
