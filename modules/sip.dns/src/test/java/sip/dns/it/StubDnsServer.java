package sip.dns.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A loopback UDP DNS endpoint for what dnsmasq will not do on demand: never answer, answer every
 * query with one rcode, relay to a real dnsmasq only once the test releases the queries (so
 * concurrent lookups are certain to overlap), or relay all but some questions, which are lost. It records every question it receives as
 * {@code "TYPE name"} (name without the final dot).
 */
final class StubDnsServer implements AutoCloseable {

    private enum Mode { SILENT, RCODE, RELAY }

    private final DatagramSocket socket;
    private final Mode mode;
    private final int rcode;
    private final InetSocketAddress upstream;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final Predicate<String> lost;
    private final Predicate<String> failed;
    private final Thread receiver;

    private StubDnsServer(Mode mode, int rcode, InetSocketAddress upstream) throws SocketException {
        this(mode, rcode, upstream, question -> false, question -> false);
    }

    private StubDnsServer(Mode mode, int rcode, InetSocketAddress upstream, Predicate<String> lost,
                          Predicate<String> failed) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.mode = mode;
        this.rcode = rcode;
        this.upstream = upstream;
        this.lost = lost;
        this.failed = failed;
        this.receiver = Thread.ofVirtual().name("stub-dns-" + socket.getLocalPort()).start(this::receive);
    }

    /** Receives queries and never answers them. */
    static StubDnsServer silent() throws SocketException {
        return new StubDnsServer(Mode.SILENT, 0, null);
    }

    /** Answers every query with an empty response carrying {@code rcode} (e.g. {@link org.xbill.DNS.Rcode#SERVFAIL}). */
    static StubDnsServer answering(int rcode) throws SocketException {
        return new StubDnsServer(Mode.RCODE, rcode, null);
    }

    /** Holds every query until {@link #release()}, then relays it to {@code upstream} and the answer back. */
    static StubDnsServer holdingRelay(InetSocketAddress upstream) throws SocketException {
        return new StubDnsServer(Mode.RELAY, 0, upstream);
    }

    /**
     * Relays every query to {@code upstream} at once, except those whose {@code "TYPE name"} matches
     * {@code lost}: they are recorded and never answered, as a middlebox that drops them would.
     */
    static StubDnsServer relayLosing(InetSocketAddress upstream, Predicate<String> lost) throws SocketException {
        StubDnsServer stub = new StubDnsServer(Mode.RELAY, 0, upstream, lost, question -> false);
        stub.release();
        return stub;
    }

    /** Relays every query to {@code upstream} at once, except that those matching {@code failed} get SERVFAIL. */
    static StubDnsServer relayFailing(InetSocketAddress upstream, Predicate<String> failed) throws SocketException {
        StubDnsServer stub = new StubDnsServer(Mode.RELAY, org.xbill.DNS.Rcode.SERVFAIL, upstream, question -> false, failed);
        stub.release();
        return stub;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Every question received so far, in arrival order, as {@code "TYPE name"}. */
    List<String> questions() {
        return List.copyOf(questions);
    }

    /** How many times {@code "TYPE name"} was asked. */
    long count(String question) {
        return questions.stream().filter(question::equals).count();
    }

    /** Lets held (and later) queries through to the upstream server. */
    void release() {
        release.countDown();
    }

    private void receive() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            Message message;
            try {
                message = new Message(query);
            } catch (IOException malformed) {
                continue;
            }
            Record question = message.getQuestion();
            String asked = question == null ? "" : Type.string(question.getType()) + " " + question.getName().toString(true);
            if (question != null) {
                questions.add(asked);
            }
            if (lost.test(asked)) {
                continue;
            }
            if (failed.test(asked)) {
                reply(client, rcodeAnswer(message));
                continue;
            }
            switch (mode) {
                case SILENT -> { }
                case RCODE -> reply(client, rcodeAnswer(message));
                case RELAY -> Thread.ofVirtual().start(() -> relay(query, client));
            }
        }
    }

    private byte[] rcodeAnswer(Message query) {
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.RA);
        answer.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            answer.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
        }
        return answer.toWire();
    }

    private void relay(byte[] query, InetSocketAddress client) {
        try {
            // Bounded: a test that forgets to release must not leave this thread behind for long.
            if (!release.await(10, TimeUnit.SECONDS)) {
                return;
            }
            try (DatagramSocket out = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                out.setSoTimeout(5_000);
                out.send(new DatagramPacket(query, query.length, upstream));
                byte[] buffer = new byte[4096];
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                out.receive(answer);
                reply(client, java.util.Arrays.copyOf(answer.getData(), answer.getLength()));
            }
        } catch (IOException | InterruptedException e) {
            // The client's own timeout reports it; the stub has nobody else to tell.
        }
    }

    private void reply(InetSocketAddress client, byte[] answer) {
        try {
            socket.send(new DatagramPacket(answer, answer.length, client));
        } catch (IOException closed) {
            // closed while answering: the test is over
        }
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        socket.close();
        receiver.join(5_000);
    }
}
