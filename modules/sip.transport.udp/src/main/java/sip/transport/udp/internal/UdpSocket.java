package sip.transport.udp.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.Listener;
import sip.transport.spi.Protocol;

/**
 * One bound datagram channel and its reader: a {@link Listener} when {@code listen} bound it, or
 * the transport's client socket of one address family otherwise (not listed as a listener).
 *
 * <p>Single-thread contract: only the reader thread receives, running {@link #read()} as a plain
 * blocking loop; any thread may {@link #send}.
 *
 * <p>Allocation on the read path, per datagram: the exactly-sized {@code byte[]} the datagram is
 * copied into once (it becomes the parsed message's own storage, so the parser copies nothing)
 * and the {@link DatagramFlow} view; the workers add the parsed message. The 65,535-byte receive
 * buffer is direct (the channel reads into it without a temporary buffer) and reused for every
 * datagram; keep-alives are recognised in it and never copied; the queue stores into
 * preallocated arrays. Nothing is boxed and no string is built unless something fails. (The
 * sender's {@code InetSocketAddress} comes from the JDK, which reuses it while the sender stays
 * the same.)
 */
final class UdpSocket implements Listener {

    private static final System.Logger LOG = System.getLogger(UdpSocket.class.getName());
    /** Any UDP payload fits (the IPv6 limit, 65,527, is the larger one). */
    private static final int RECEIVE_BUFFER = 65_535;

    private final UdpTransport transport;
    /** Replaced only by {@link #rebind()}, after an interrupt closed the previous one. */
    private volatile DatagramChannel channel;
    private final InetSocketAddress local;
    private final boolean listener;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private int rebinds;

    private UdpSocket(UdpTransport transport, DatagramChannel channel, InetSocketAddress local,
            boolean listener) {
        this.transport = transport;
        this.channel = channel;
        this.local = local;
        this.listener = listener;
    }

    /**
     * Binds a blocking channel of {@code address}'s family ({@code ::} stays dual-stack, as the
     * JDK opens IPv6 sockets with IPV6_V6ONLY off). The reader is not started yet.
     */
    static UdpSocket bind(UdpTransport transport, InetSocketAddress address, boolean listener)
            throws IOException {
        DatagramChannel channel = openChannel(transport, address);
        return new UdpSocket(transport, channel, (InetSocketAddress) channel.getLocalAddress(), listener);
    }

    private static DatagramChannel openChannel(UdpTransport transport, InetSocketAddress address)
            throws IOException {
        boolean v6 = address.getAddress() instanceof Inet6Address;
        DatagramChannel channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            // TransportConfig.socketReceiveBuffer says why; 0 keeps the OS default.
            int wanted = transport.config().socketReceiveBuffer();
            if (wanted > 0 && channel.getOption(StandardSocketOptions.SO_RCVBUF) < wanted) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, wanted);
            }
            channel.bind(address);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * An interrupt delivered to a thread blocked in {@code send} or {@code receive} closes an NIO
     * channel, the one every flow on this address shares. The socket is not ours to lose to
     * someone else's interrupt: bind the same address again and start a new reader. If the address
     * cannot be bound again the socket closes for good (logged, counted as closed).
     */
    synchronized void rebind() {
        if (!open.get() || channel.isOpen()) {
            return;
        }
        try {
            DatagramChannel fresh = openChannel(transport, local);
            channel = fresh;
            Thread reader = transport.config().threadFactory().newThread(() -> read(fresh));
            if (reader == null) {
                throw new IOException("the configured thread factory refused a udp reader");
            }
            reader.start();
            rebinds++;
            LOG.log(Level.WARNING, "udp socket {0} was closed by an interrupt; bound again", local);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, () -> "udp socket " + local + " was closed by an interrupt and cannot be bound again", e);
            close();
        }
    }

    /** The channel now (tests close it as an interrupt would). */
    DatagramChannel channel() {
        return channel;
    }

    /** How many times an interrupt closed the channel and it was bound again (tests). */
    synchronized int rebinds() {
        return rebinds;
    }

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    boolean isListener() {
        return listener;
    }

    int mtu() {
        return transport.config().mtu();
    }

    /**
     * How well this socket can send to {@code remote}: 2 for a socket of the same address family
     * whose address can reach it (a loopback-bound socket reaches only loopback peers), 1 for an
     * IPv6 wildcard socket sending to an IPv4 peer (dual stack), 0 if it cannot.
     */
    int reach(InetAddress remote) {
        InetAddress bound = local.getAddress();
        boolean sameFamily = (bound instanceof Inet6Address) == (remote instanceof Inet6Address);
        if (bound.isAnyLocalAddress()) {
            return sameFamily ? 2 : bound instanceof Inet6Address ? 1 : 0;
        }
        return sameFamily && bound.isLoopbackAddress() == remote.isLoopbackAddress() ? 2 : 0;
    }

    /**
     * Sends one datagram, all of it or nothing. A caller's pending interrupt is set aside for
     * the call: on an interruptible channel it would close the socket every flow shares.
     */
    void send(ByteBuffer message, DatagramFlow flow) throws IOException {
        int size = message.remaining();
        boolean interrupted = Thread.interrupted();
        try {
            int sent = channel.send(message, flow.remoteAddress());
            if (sent != size) {
                // Blocking mode sends all or throws; never let a short send pass as success.
                throw new IOException("udp: " + sent + " of " + size + " bytes sent to " + flow);
            }
        } catch (ClosedByInterruptException e) {
            rebind(); // the interrupt was this sender's; the socket is everyone's
            throw new ConnectionClosedException(flow.flow(), e);
        } catch (ClosedChannelException e) {
            throw new ConnectionClosedException(flow.flow(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        transport.counters().messageOut();
        transport.counters().bytesOut(size);
    }

    /**
     * The reader for the channel as it is now, bound to it when made (not when its thread starts),
     * so a rebind in between never gives one channel two readers.
     */
    Runnable reader() {
        DatagramChannel current = channel;
        return () -> read(current);
    }

    /** The reader loop over {@code channel}: each reader is bound to the channel it was made for. */
    void read(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
        try {
            while (true) {
                buffer.clear();
                InetSocketAddress from;
                try {
                    from = (InetSocketAddress) channel.receive(buffer);
                } catch (ClosedChannelException e) {
                    return; // closed by close(), or by an interrupt of this thread
                } catch (IOException e) {
                    if (!channel.isOpen()) {
                        return;
                    }
                    LOG.log(Level.WARNING, () -> "udp receive on " + local + " failed; reading on", e);
                    continue;
                }
                int length = buffer.position();
                transport.counters().bytesIn(length);
                if (isKeepAlive(buffer, length)) {
                    transport.counters().keepAlive();
                    continue;
                }
                byte[] datagram = new byte[length];
                buffer.get(0, datagram);
                transport.dispatcher().enqueue(new DatagramFlow(this, from, true), datagram);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, () -> "udp reader of " + local + " failed; the socket is closed", e);
            throw e;
        } finally {
            if (open.get()) {
                if (channel.isOpen()) {
                    close(); // the reader died, not the channel: a socket nobody reads must not stay listed
                } else {
                    rebind(); // an interrupt of this thread or of a sender closed the channel
                }
            }
        }
    }

    /**
     * Closes the channel (the reader then ends) and takes this socket off the transport's
     * counts. Idempotent.
     */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        synchronized (this) { // after a rebind in progress, so its new channel is the one closed
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing udp socket " + local, e);
            }
        }
        transport.closed(this);
    }

    @Override
    public String toString() {
        return (listener ? "udp listener " : "udp client socket ") + local;
    }

    /**
     * Only CR/LF bytes (a ping; empty counts too), or a first byte of 0..3: STUN, as RFC 7983 tells
     * it apart (SIP starts with a letter). Read in place, before anything is copied.
     */
    private static boolean isKeepAlive(ByteBuffer buffer, int length) {
        if (length > 0 && (buffer.get(0) & 0xFF) <= 3) {
            return true;
        }
        for (int i = 0; i < length; i++) {
            byte b = buffer.get(i);
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
