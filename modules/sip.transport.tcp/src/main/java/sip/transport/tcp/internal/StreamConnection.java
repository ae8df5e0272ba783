package sip.transport.tcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import sip.message.ParseResult;
import sip.transport.spi.CloseReason;
import sip.transport.spi.Connection;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionEvent;
import sip.transport.spi.Flow;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportCounters;

/**
 * One stream connection (TCP, TLS, WS or WSS) over a blocking {@link Socket}; its
 * {@link MessageFraming} says how messages are cut from the bytes and written.
 *
 * <p>Single-thread contract: {@link #run()} is the connection's reader loop and runs on the
 * connection's own thread, which alone reads the framing and owns the read buffer. Every handler
 * call for this connection happens on that thread, in order: {@code Opened}, the messages,
 * {@code Closed} (exactly once, after the loop ends). {@link #send} may be called from any thread; writers are
 * serialised by a lock. {@link #close} may be called from any thread: it un-counts the connection
 * and closes the socket; the reader then wakes up and reports {@code Closed}.
 *
 * <p>Timeouts use {@link Socket#setSoTimeout} (virtual threads park, they do not pin): between
 * messages a read waits at most the idle timeout; once a message has started, the read deadline is
 * the message read timeout after the reader took up reading it (its first byte's arrival, or the
 * handler's return when the handler held the reader up), however slowly the bytes trickle in.
 * Writes cannot time out by themselves, so the transport's {@link WriteWatchdog} closes a
 * connection whose write is stuck.
 *
 * <p>Closing never waits on the peer for long: the transport holds the raw TCP socket under a TLS
 * one, and a TLS close whose {@code close_notify} the peer does not take within the close grace
 * ({@link StreamTransport#closeGraceNanos()}) is cut short by resetting that raw socket. The same
 * grace bounds a framing's goodbye ({@link MessageFraming#goodbye}: a WebSocket close frame).
 *
 * <p>Interrupts: the JDK closes a socket whose blocked I/O is interrupted (on virtual threads), so
 * interrupting a thread blocked in {@link #send} ends the connection; it is reported as
 * {@link CloseReason#LOCAL} and the sender gets an {@link InterruptedIOException}.
 *
 * <p>Memory: the read buffer is a fixed 8 KiB (a large message grows the framing's buffer, not
 * this one).
 */
final class StreamConnection implements Connection {

    private static final int READ_BUFFER = 8192;
    /** Large sends go out in chunks, so the write watchdog measures a stall, not a message's length. */
    private static final int WRITE_CHUNK = 32 * 1024;
    private static final long NOT_WRITING = Long.MIN_VALUE;
    private static final long NO_PARTIAL = Long.MIN_VALUE;
    /** The shortest socket timeout: a read that takes only what has arrived already. */
    private static final int NO_WAIT_MILLIS = 1;

    private final StreamTransport transport;
    private final TransportCounters counters;
    private final InboundHandler handler;
    /** The TCP socket: closing it ends the connection at once, whatever is blocked on it. */
    private final Socket raw;
    /** What messages travel over: {@link #raw} for TCP, an {@code SSLSocket} layered over it for TLS. */
    private final Socket stream;
    private final InputStream in;
    private final OutputStream out;
    private final Flow flow;
    private final boolean inbound;
    private final StreamTransport.Target reuseKey;
    private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();

    /** Read by the reader thread; written to under {@link #writeLock}. */
    private final MessageFraming framing;
    private final MessageFraming.Output output = this::write;
    private final MessageFraming.Link link = new FramingLink();

    // Owned by the reader thread.
    private final byte[] readBuffer = new byte[READ_BUFFER];
    /**
     * When the reader took up the partly buffered message (its first byte arrived, or the handler
     * returned after it had); {@link #NO_PARTIAL} if none.
     */
    private long partialSince = NO_PARTIAL;
    /**
     * For an inbound connection, when it opened, until its first message arrives: a peer must send
     * one within the message read timeout of connecting (keep-alives do not count), so idle
     * connections cannot hold the pool for the whole idle timeout. {@link #NO_PARTIAL} after that,
     * and always for outbound connections (the peer answers only when asked).
     */
    private long firstMessageDue = NO_PARTIAL;
    /** Past the read deadline, whether one more read may take what has arrived meanwhile. */
    private boolean overdueReadAllowed;
    /** The thread running {@link #run()}, which alone may read. */
    private volatile Thread reader;

    // Writers.
    private final ReentrantLock writeLock = new ReentrantLock();
    /** When the current write chunk started, for the watchdog; {@link #NOT_WRITING} when idle. */
    private volatile long writingSince = NOT_WRITING;

    StreamConnection(StreamTransport transport, StreamSockets.Layered socket, MessageFraming framing, Flow flow,
            boolean inbound, StreamTransport.Target reuseKey) throws IOException {
        this.transport = transport;
        this.counters = transport.counters();
        this.handler = transport.handler();
        this.raw = socket.raw();
        this.stream = socket.stream();
        this.in = stream.getInputStream();
        this.out = stream.getOutputStream();
        this.flow = flow;
        this.inbound = inbound;
        this.reuseKey = reuseKey;
        this.framing = framing;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public Protocol protocol() {
        return transport.protocol();
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    StreamTransport.Target reuseKey() {
        return reuseKey;
    }

    // --- reading: the connection's own thread ---

    /** The reader loop; returns when the connection is closed, after reporting {@code Closed}. */
    void run() {
        reader = Thread.currentThread();
        try {
            transport.event(new ConnectionEvent.Opened(this));
            readLoop();
        } catch (RuntimeException e) {
            transport.log(e, "reader of " + this + " failed");
        } finally {
            close(CloseReason.ERROR); // no-op unless the loop left without closing
            transport.event(new ConnectionEvent.Closed(this, closeReason.get()));
        }
    }

    private void readLoop() {
        int idleMs = StreamTransport.millis(transport.config().idleTimeout());
        long readTimeoutNanos = transport.config().messageReadTimeout().toNanos();
        if (inbound) {
            firstMessageDue = System.nanoTime();
            overdueReadAllowed = true; // at the deadline, still take a first message already here
        }
        int soTimeout = -1;
        // Bytes the opening exchange read past its end (a WebSocket peer's first frames) are in
        // the framing already.
        if (!drain()) {
            return;
        }
        if (framing.buffered() > 0) {
            partialSince = System.nanoTime();
        }
        while (isOpen()) {
            // This read's timeout: the idle timeout, or the started (or first) message's deadline
            // if sooner.
            int timeoutMs = idleMs;
            boolean deadlineGoverns = false;
            boolean overdue = false;
            long since = partialSince == NO_PARTIAL ? firstMessageDue
                    : firstMessageDue == NO_PARTIAL ? partialSince : Math.min(partialSince, firstMessageDue);
            if (since != NO_PARTIAL && readTimeoutNanos > 0) {
                long left = since + readTimeoutNanos - System.nanoTime();
                if (left <= 0 && !overdueReadAllowed) {
                    timeOut(CloseReason.READ_TIMEOUT);
                    return;
                }
                // Past the deadline, the rest may be waiting in the kernel already while this thread
                // could not run (a loaded machine): take what is there, but wait for nothing more.
                overdue = left <= 0;
                long leftMs = overdue ? NO_WAIT_MILLIS : Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                if (idleMs == 0 || leftMs <= idleMs) {
                    timeoutMs = (int) leftMs;
                    deadlineGoverns = true;
                }
            }
            int n;
            try {
                if (timeoutMs != soTimeout) { // setSoTimeout boxes its value: call it only on change
                    stream.setSoTimeout(timeoutMs);
                    soTimeout = timeoutMs;
                }
                n = in.read(readBuffer);
            } catch (SocketTimeoutException e) {
                timeOut(deadlineGoverns ? CloseReason.READ_TIMEOUT : CloseReason.IDLE);
                return;
            } catch (IOException e) {
                close(readFailure(e)); // a no-op if it failed because the connection was closed here
                return;
            }
            if (n < 0) {
                close(CloseReason.PEER);
                return;
            }
            if (overdue) {
                // Only a full buffer says more may be waiting; a peer trickling bytes is not let on.
                overdueReadAllowed = n == readBuffer.length;
            }
            counters.bytesIn(n);
            framing.feed(readBuffer, 0, n);
            if (!drain()) {
                return;
            }
            if (framing.buffered() == 0) {
                partialSince = NO_PARTIAL;
            } else if (partialSince == NO_PARTIAL) {
                // Stamped after drain(): time the handler held this thread up is not the peer's.
                partialSince = System.nanoTime();
                overdueReadAllowed = true;
            }
        }
    }

    /**
     * Why a read failed. A closed raw socket alone says nothing: JSSE closes it itself on a peer's
     * reset or fatal alert. The one local cause besides {@link #close} (which has set the reason
     * already, making this moot) is an interrupted thread: this reader, or a sender, which then
     * closes the connection as LOCAL while it still holds the write lock, so waiting (bounded) for
     * that lock lets its reason win.
     */
    private CloseReason readFailure(IOException e) {
        if (interruptedHere(e)) {
            return CloseReason.LOCAL;
        }
        if (raw.isClosed()) {
            try {
                if (writeLock.tryLock(transport.closeGraceNanos(), TimeUnit.NANOSECONDS)) {
                    writeLock.unlock();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return CloseReason.LOCAL;
            }
        }
        return e instanceof SocketException ? CloseReason.PEER : CloseReason.ERROR; // a reset is the peer's
    }

    /** The JDK closes a socket whose blocked I/O is interrupted (on virtual threads): this side's doing. */
    private static boolean interruptedHere(IOException e) {
        return Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException;
    }

    /** Hands every complete result to the handler; false once the connection is closed. */
    private boolean drain() {
        for (ParseResult r = framing.next(link); !(r instanceof ParseResult.NeedMore); r = framing.next(link)) {
            partialSince = NO_PARTIAL; // whatever is still buffered belongs to a later message
            if (!(r instanceof ParseResult.KeepAlive)) {
                firstMessageDue = NO_PARTIAL; // a message, even a malformed one, is the peer speaking SIP
            }
            switch (r) {
                case ParseResult.Parsed p -> {
                    counters.messageIn();
                    try {
                        handler.onMessage(this, p.message());
                    } catch (RuntimeException e) {
                        transport.handlerFailed(e, "a message on " + flow);
                    }
                }
                case ParseResult.KeepAlive k -> {
                    if (k.ping()) {
                        counters.keepAlive();
                        pong();
                    } // a pong answers a ping of ours: nothing to do
                }
                case ParseResult.Malformed m -> {
                    counters.malformed();
                    try {
                        handler.onMalformed(this, m);
                    } catch (RuntimeException e) {
                        transport.handlerFailed(e, "malformed input on " + flow);
                    }
                    if (framing.framingLost()) {
                        close(CloseReason.MALFORMED); // message boundaries are gone: nothing after can be read
                        return false;
                    }
                    // A framed but invalid message (a bad CSeq): the next message starts where it ended.
                }
                case ParseResult.NeedMore n -> throw new AssertionError(n);
            }
            if (!isOpen()) {
                return false;
            }
        }
        return isOpen(); // the framing may have ended the connection (a WebSocket close)
    }

    /** RFC 5626 §4.4.1: a double-CRLF ping is answered with a pong, framed as the framing frames. */
    private void pong() {
        writeLock.lock();
        try {
            if (isOpen()) {
                framing.writePong(output);
            }
        } catch (IOException e) {
            // write() closed the connection; the reader loop ends on isOpen()
        } finally {
            writeLock.unlock();
        }
    }

    private void timeOut(CloseReason reason) {
        if (close(reason)) {
            counters.timedOut();
        }
    }

    // --- writing: any thread ---

    @Override
    public void send(ByteBuffer message) throws IOException {
        writeLock.lock();
        try {
            if (!isOpen()) {
                throw new ConnectionClosedException(flow, null);
            }
            framing.writeMessage(message, output);
            counters.messageOut();
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes under {@link #writeLock}, in chunks the watchdog can time; counts the bytes. */
    private void write(byte[] b, int off, int len) throws IOException {
        try {
            for (int end = off + len; off < end; off += WRITE_CHUNK) {
                writingSince = System.nanoTime();
                out.write(b, off, Math.min(WRITE_CHUNK, end - off));
            }
            counters.bytesOut(len);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException) {
                // The JDK closed the socket because this sender was interrupted: this side ended it.
                close(CloseReason.LOCAL);
                InterruptedIOException interrupted = new InterruptedIOException(
                        "interrupted while sending on " + flow + "; the connection is closed");
                interrupted.initCause(e);
                throw interrupted;
            }
            if (e instanceof SocketException) {
                // Reset or broken pipe: the peer is gone (or we closed meanwhile, e.g. the watchdog).
                // If this side closed it (close(), the watchdog) the reason is set and this is a no-op.
                close(CloseReason.PEER);
                throw new ConnectionClosedException(flow, e);
            }
            if (!close(CloseReason.ERROR)) {
                throw new ConnectionClosedException(flow, e); // closed meanwhile
            }
            throw e;
        } finally {
            writingSince = NOT_WRITING;
        }
    }

    /** Closes with {@code WRITE_TIMEOUT} if a write has been stuck longer than {@code timeoutNanos}. */
    void checkWrite(long now, long timeoutNanos) {
        long since = writingSince;
        if (since != NOT_WRITING && now - since > timeoutNanos) {
            timeOut(CloseReason.WRITE_TIMEOUT);
        }
    }

    // --- lifecycle ---

    @Override
    public boolean isOpen() {
        return closeReason.get() == null;
    }

    /**
     * Complete when it returns, even if the reader thread is closing the connection concurrently:
     * the connection is un-counted and refuses sends (its socket may still be in the close grace on
     * the other thread). Returns within the close grace.
     */
    @Override
    public void close() {
        close(CloseReason.LOCAL, System.nanoTime() + transport.closeGraceNanos());
        transport.unregister(this);
    }

    /**
     * {@link #close()} as the transport closes, within a grace that ends at {@code graceUntil},
     * shared by the transport's connections.
     */
    void closeBy(long graceUntil) {
        close(CloseReason.LOCAL, graceUntil, true);
        transport.unregister(this);
    }

    /** Closes with {@code reason} if still open; true if this call closed it. */
    boolean close(CloseReason reason) {
        return close(reason, System.nanoTime() + transport.closeGraceNanos());
    }

    private boolean close(CloseReason reason, long graceUntil) {
        return close(reason, graceUntil, false);
    }

    private boolean close(CloseReason reason, long graceUntil, boolean shutdown) {
        if (!closeReason.compareAndSet(null, reason)) {
            return false;
        }
        release(reason, graceUntil, shutdown);
        return true;
    }

    /**
     * Un-counts the connection, then closes its socket (once: only the close that set the reason
     * gets here), by {@code graceUntil} at the latest: the framing's goodbye and a TLS close's
     * {@code close_notify} block for as long as the peer does not read, so the raw socket is
     * reset when the grace is over.
     */
    private void release(CloseReason reason, long graceUntil, boolean shutdown) {
        transport.unregister(this); // first: nothing below may hold the counts up
        byte[] goodbye = graceUntil - System.nanoTime() > 0 ? framing.goodbye(reason, shutdown) : null;
        // A sender holding the lock may be stuck on a peer that does not read, and TLS would queue
        // close_notify behind it: reset instead. Taking the lock also keeps out a sender that got
        // past isOpen() just before the close. (The lock is reentrant: a sender closing after its
        // own write failed gets it.) A goodbye is worth waiting for a sender that is only finishing,
        // within the grace.
        if (!(goodbye == null ? writeLock.tryLock() : lockWithin(graceUntil))) {
            StreamTransport.reset(raw);
            return;
        }
        try {
            long grace = graceUntil - System.nanoTime();
            if (!layered() && goodbye == null) {
                StreamTransport.closeQuietly(raw); // a plain close never blocks (SO_LINGER is off)
            } else if (grace <= 0) {
                StreamTransport.reset(raw);
            } else {
                SocketDeadline cutShort = new SocketDeadline(raw, Duration.ofNanos(grace), true);
                if (goodbye != null) {
                    sayGoodbye(goodbye);
                }
                StreamTransport.closeQuietly(stream); // TLS: close_notify, then the raw socket (autoClose)
                cutShort.disarm();
                StreamTransport.closeQuietly(raw); // in case the TLS close gave up before closing it
            }
        } finally {
            writeLock.unlock();
        }
    }

    private boolean lockWithin(long graceUntil) {
        try {
            return writeLock.tryLock(graceUntil - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing anyway: without the goodbye
            return false;
        }
    }

    /**
     * Writes the framing's last words (the deadline armed by the caller bounds it). A plain socket
     * then half-closes, and on the reader thread reads what the peer still sends until it closes
     * too: closing with unread bytes would reset the connection, and a reset may destroy the
     * goodbye before the peer reads it. Whatever fails here only ends the goodbye early.
     */
    private void sayGoodbye(byte[] goodbye) {
        try {
            out.write(goodbye);
            counters.bytesOut(goodbye.length);
            if (!layered()) {
                raw.shutdownOutput();
                if (Thread.currentThread() == reader) {
                    raw.setSoTimeout(0); // the armed deadline ends this read at the latest
                    while (in.read(readBuffer) >= 0) {
                        // discarded: the connection is closing
                    }
                }
            }
        } catch (IOException e) {
            // the peer is gone or the grace ran out: nothing more to say
        }
    }

    private boolean layered() {
        return stream != raw;
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return stream instanceof SSLSocket ssl ? Optional.of(ssl.getSession()) : Optional.empty();
    }

    @Override
    public String toString() {
        return flow + (inbound ? " (inbound)" : " (outbound)");
    }

    /** What the framing may ask of this connection from the reader thread. */
    private final class FramingLink implements MessageFraming.Link {

        @Override
        public void writeControl(byte[] bytes) {
            writeLock.lock();
            try {
                if (isOpen()) {
                    write(bytes, 0, bytes.length);
                }
            } catch (IOException e) {
                // write() closed the connection; the reader loop ends on isOpen()
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void end(CloseReason reason) {
            if (close(reason) && reason == CloseReason.MALFORMED) {
                counters.malformed();
            }
        }
    }
}
