package sip.transport.loopback;

import java.time.Duration;

/**
 * Runs a task after a delay: how a {@link LoopbackNetwork} makes delayed messages arrive. The
 * default runs on real time; a test plugs in its own to run on virtual time, so a message delayed
 * by 500 ms arrives the moment the test advances its clock by 500 ms, without waiting.
 *
 * <p>The network calls {@link #schedule} only for non-zero delays, never while holding its lock,
 * and from the sending thread. The task is short and may run on any thread, including inside
 * {@code schedule}: it only moves the message into the delivery queue; the receiver's handler
 * runs later, on the delivery thread (or in {@link LoopbackNetwork#deliverNext()}).
 *
 * <p>If {@code schedule} throws, the message is lost (counted dropped) and the send fails: with an
 * {@code IOException} whose cause is what was thrown, or with an {@link Error} as is. A
 * {@code mem-stream} connection then closes ({@code ERROR}), as on a failed write.
 */
@FunctionalInterface
public interface DelayScheduler {

    /** Runs {@code task} once {@code delay} (positive) has passed on this scheduler's clock. */
    void schedule(Duration delay, Runnable task);
}
