package sip.router.internal.transaction;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.ServerTransaction;
import sip.router.SipTimers;
import sip.router.VirtualScheduler;
import sip.router.internal.Counters;
import sip.router.internal.Settings;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;
import sip.transport.spi.TransportConfig;

/**
 * One transaction layer over a {@link FakeWire} and one {@link FakeConnection} on virtual time,
 * with a transaction user that records what reaches it, and message helpers.
 */
final class Harness {

    final VirtualScheduler clock = new VirtualScheduler();
    final FakeConnection conn;
    final FakeWire wire;
    final Counters counters = new Counters();
    final List<ServerTransaction> requests = new ArrayList<>();
    final List<SipRequest> acks = new ArrayList<>();
    final TransactionLayer layer;

    Harness(Protocol protocol) {
        this(protocol, 10_000);
    }

    Harness(Protocol protocol, int maxServerTransactions) {
        conn = new FakeConnection(protocol, clock, 5070);
        wire = new FakeWire(conn);
        Settings settings = new Settings("Parley-test", null, null, TransportConfig.defaults(),
                SipTimers.DEFAULT, clock, null, Duration.ofMillis(200), maxServerTransactions,
                Duration.ofMillis(5_400), Duration.ofSeconds(32), Duration.ofMinutes(3), Duration.ofSeconds(5));
        layer = new TransactionLayer(settings, new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction) {
                synchronized (requests) {
                    requests.add(transaction);
                }
            }

            @Override
            public void onAck(SipRequest ack, Flow flow) {
                synchronized (acks) {
                    acks.add(ack);
                }
            }
        }, counters, l -> wire);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static List<Duration> seconds(double... s) {
        List<Duration> out = new ArrayList<>();
        for (double d : s) {
            out.add(Duration.ofMillis(Math.round(d * 1000)));
        }
        return out;
    }

    /** A request as the application would hand it to the client. */
    static SipRequest outgoing(Method method) {
        return SipRequest.builder(method, SipUri.parse("sip:bob@127.0.0.1:5070"))
                .from(NameAddress.of(SipUri.parse("sip:alice@127.0.0.1")).withTag("from1"))
                .to(NameAddress.of(SipUri.parse("sip:bob@127.0.0.1")))
                .callId("call-out")
                .cseq(7)
                .addHeader("Route", "<sip:proxy.invalid;lr>")
                .build();
    }

    ClientTransaction send(Method method) {
        return layer.sendRequest(outgoing(method), null);
    }

    /** The peer's response to the request as sent (through the wire form, as a transport would). */
    static SipResponse reply(SipRequest sent, int code, String toTag) {
        SipResponse.Builder b = SipResponse.builder(sent, code);
        if (toTag != null) {
            b.toTag(toTag);
        }
        return (SipResponse) FakeConnection.parse(b.build().toBytes());
    }

    void receive(SipResponse response) {
        layer.onResponse(response, conn);
    }

    static SipRequest parse(String text) {
        return (SipRequest) FakeConnection.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** An inbound request with a top Via {@code branch} (null for none). */
    static SipRequest inbound(String method, String branch, String callId, long cseq, String toTag) {
        return parse(method + " sip:bob@127.0.0.1 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 10.0.0.9:5070" + (branch == null ? "" : ";branch=" + branch) + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:alice@10.0.0.9>;tag=a1\n"
                + "To: <sip:bob@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " " + (method.equals("ACK") ? "ACK" : method) + "\n"
                + "Content-Length: 0\n\n");
    }

    static SipRequest invite(String branch) {
        return inbound("INVITE", branch, "call-in", 1, null);
    }

    void receive(SipRequest request) {
        layer.onRequest(request, conn);
    }

    /** The single server transaction the user got so far. */
    ServerTransaction onlyRequest() {
        synchronized (requests) {
            if (requests.size() != 1) {
                throw new AssertionError("expected one request at the user, got " + requests.size());
            }
            return requests.get(0);
        }
    }

    static SipResponse await(ClientTransaction tx) throws Exception {
        return tx.response().get(5, TimeUnit.SECONDS);
    }

    int live() {
        return layer.stats().liveTransactions();
    }

    static int code(SipMessage m) {
        return ((SipResponse) m).statusCode();
    }
}
