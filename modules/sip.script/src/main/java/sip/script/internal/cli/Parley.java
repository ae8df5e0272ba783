package sip.script.internal.cli;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code main} of the {@code parley} command (the image's launcher runs
 * {@code -m sip.script/sip.script.internal.cli.Parley}). Wires the process to
 * {@link ParleyCommand}: SIGINT (Ctrl-C) and SIGTERM stop {@code parley run} gracefully with exit
 * status 0 (a second one ends the process at once, status 130), SIGHUP reloads its script; a
 * shutdown hook covers any other way the VM is told to exit.
 */
public final class Parley {

    private static final Logger LOG = LoggerFactory.getLogger(Parley.class);

    private Parley() {
    }

    public static void main(String[] args) {
        ParleyCommand command = new ParleyCommand(System.out, System.err);
        Thread hook = new Thread(() -> {
            command.stop();
            command.awaitFinished();
        }, "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Handled here rather than by the VM's default (exit 128 + signal through the hook): a
        // requested stop is a normal end of parley run, exit status 0.
        Runnable stop = () -> {
            if (command.stopRequested()) {
                // A second Ctrl-C: the user will not wait for calls in flight to end.
                System.err.println("parley: stopped at once");
                Runtime.getRuntime().halt(130);
            }
            command.stop();
        };
        handle("INT", stop);
        handle("TERM", stop);
        // Not on the signal thread: a reload compiles the script.
        handle("HUP", () -> Thread.ofVirtual().name("parley-sighup").start(command::reload));
        int status = command.execute(List.of(args));
        System.exit(status);
    }

    private static void handle(String signal, Runnable action) {
        try {
            SignalHandler previous = Signal.handle(new Signal(signal), s -> action.run());
            if (previous == SignalHandler.SIG_IGN && signal.equals("HUP")) {
                // Inherited as ignored (nohup, some service managers): the JVM keeps ignoring it.
                System.err.println("parley: SIGHUP is ignored in this process (started under nohup?); "
                        + "reload with `parley reload SCRIPT` or by editing the file");
            }
        } catch (IllegalArgumentException e) {
            // -Xrs, or a platform without this signal: the shutdown hook still stops gracefully.
            LOG.debug("cannot handle SIG{}", signal, e);
        }
    }
}
