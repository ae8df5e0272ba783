package sip.router.vtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import sip.message.Method;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.router.VirtualScheduler;
import sip.transport.loopback.Fate;
import sip.transport.loopback.Packet;
import sip.transport.loopback.Rule;

/**
 * A rule that decides nothing and writes down every {@code mem} send with the virtual time it was
 * sent at, lost or not: the rule is asked on the sender's thread at the moment of the send, so
 * a retransmission fired by a timer is stamped with that timer's due time.
 */
final class Wire implements Rule {

    /** One send: when, and what. */
    record Sent(Duration at, Packet packet) {
        String startLine() {
            return packet.startLine();
        }

        SipMessage message() {
            return packet.message().orElseThrow(() -> new AssertionError("unparsable on the wire: " + packet));
        }

        SipRequest request() {
            return (SipRequest) message();
        }
    }

    private final VirtualScheduler clock;
    private final List<Sent> log = new ArrayList<>();

    Wire(VirtualScheduler clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Fate decide(Packet packet) {
        log.add(new Sent(clock.elapsed(), packet));
        notifyAll();
        return Fate.CHANCE;
    }

    synchronized List<Sent> all(Predicate<Sent> which) {
        return log.stream().filter(which).toList();
    }

    int count(Predicate<Sent> which) {
        return all(which).size();
    }

    /** When each matching message was sent, in order. */
    List<Duration> times(Predicate<Sent> which) {
        return all(which).stream().map(Sent::at).toList();
    }

    /**
     * Waits (5 s at most) until {@code count} matching messages were sent, and returns the last of
     * them. Sends come from handlers on virtual threads too, so this cannot just look once.
     */
    synchronized Sent await(Predicate<Sent> which, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<Sent> seen = all(which);
            if (seen.size() >= count) {
                return seen.get(count - 1);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + count + " such messages on the wire, saw " + seen.size() + "; wire: " + log);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** A request with {@code method} sent from {@code from}. */
    static Predicate<Sent> request(Method method, InetSocketAddress from) {
        return s -> s.packet().from().equals(from) && s.startLine().startsWith(method.name() + " ");
    }

    /** A response with {@code code} sent from {@code from}, to a request with {@code method}. */
    static Predicate<Sent> response(int code, Method method, InetSocketAddress from) {
        return s -> s.packet().from().equals(from) && s.startLine().startsWith("SIP/2.0 " + code + " ")
                && s.message().cseq().method().equals(method);
    }

    /** Any response sent from {@code from}. */
    static Predicate<Sent> anyResponse(InetSocketAddress from) {
        return s -> s.packet().from().equals(from) && s.startLine().startsWith("SIP/2.0 ");
    }
}
