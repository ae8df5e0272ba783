package sip.router.internal.transaction;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.VirtualScheduler;
import sip.transport.spi.Connection;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;

/** A connection that records what is sent on it, stamped with the virtual time. */
final class FakeConnection implements Connection {

    record Sent(Duration at, SipMessage message) {
    }

    private static final SipParser PARSER = SipParser.lenient();

    private final Flow flow;
    private final Protocol protocol;
    private final VirtualScheduler clock;
    private final List<Sent> sent = new ArrayList<>();
    volatile boolean failing;
    private volatile boolean open = true;

    FakeConnection(Protocol protocol, VirtualScheduler clock, int remotePort) {
        this.protocol = protocol;
        this.clock = clock;
        this.flow = new Flow(protocol.name(), new InetSocketAddress("127.0.0.1", 5060),
                new InetSocketAddress("127.0.0.1", remotePort));
    }

    /** How often {@link #flow()} was read: what a scan over every transaction costs. */
    final java.util.concurrent.atomic.AtomicInteger flowReads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Flow flow() {
        flowReads.incrementAndGet();
        return flow;
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public boolean inbound() {
        return false;
    }

    /** Runs inside {@link #send}, before the message is recorded, outside this object's lock. */
    volatile java.util.function.Consumer<SipMessage> duringSend;

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (failing) {
            throw new IOException("refused (fake)");
        }
        byte[] b = new byte[message.remaining()];
        message.get(b);
        SipMessage parsed = parse(b);
        var hook = duringSend;
        if (hook != null) {
            hook.accept(parsed);
        }
        synchronized (this) {
            if (failing) {
                throw new IOException("refused (fake)");
            }
            sent.add(new Sent(clock.elapsed(), parsed));
        }
    }

    static SipMessage parse(byte[] bytes) {
        if (PARSER.parse(bytes) instanceof ParseResult.Parsed(SipMessage m)) {
            return m;
        }
        throw new AssertionError("unparseable:\n" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Virtual times at which requests of {@code method} went out. */
    synchronized List<Duration> requestTimes(String method) {
        return sent.stream().filter(s -> s.message() instanceof SipRequest r && r.method().name().equals(method))
                .map(Sent::at).toList();
    }

    /** Virtual times at which responses with {@code code} went out. */
    synchronized List<Duration> responseTimes(int code) {
        return sent.stream().filter(s -> s.message() instanceof SipResponse r && r.statusCode() == code)
                .map(Sent::at).toList();
    }

    synchronized List<SipRequest> requests(String method) {
        return sent.stream().map(Sent::message).filter(m -> m instanceof SipRequest r && r.method().name().equals(method))
                .map(SipRequest.class::cast).toList();
    }

    synchronized List<SipResponse> responses() {
        return sent.stream().map(Sent::message).filter(m -> m instanceof SipResponse)
                .map(SipResponse.class::cast).toList();
    }

    synchronized void clear() {
        sent.clear();
    }
}
