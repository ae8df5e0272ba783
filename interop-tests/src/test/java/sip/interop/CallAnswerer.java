package sip.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.SipUri;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;

/**
 * A Parley UAS answering every call: INVITE → 180, 200 with a Contact and SDP; BYE → 200; ACKs
 * counted. It counts what its handlers saw, so a test can hold the peer's view of each call
 * against what reached the application: retransmissions must stop in the transaction layer.
 */
final class CallAnswerer implements AutoCloseable {

    /**
     * Timers small enough for Timers H, J and L (64×T1) to end every transaction within seconds
     * of the last call, so a test can wait for the live counts to reach zero.
     */
    static final SipTimers FAST = new SipTimers(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(250));

    static final byte[] SDP = ("v=0\r\no=parley 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final UserAgent ua;
    private final int port;
    private final Set<String> invited = ConcurrentHashMap.newKeySet();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final LongAdder invites = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder byes = new LongAdder();

    CallAnswerer(String protocol) throws IOException {
        ua = UserAgent.newBuilder().name("parley-interop-uas").timers(FAST).build();
        try {
            port = ua.listen(protocol, "127.0.0.1:0").localAddress().getPort();
        } catch (IOException | RuntimeException e) {
            ua.close();
            throw e;
        }
        SipUri contact = SipUri.of("parley", "127.0.0.1", port).withParameter("transport", protocol);
        ua.server()
                .onInvite(tx -> {
                    invites.increment();
                    invited.add(tx.request().callId());
                    tx.respond(180);
                    tx.respond(tx.responseBuilder(200)
                            .contact(Contact.of(contact))
                            .body(ContentType.APPLICATION_SDP, SDP)
                            .build());
                })
                .onBye(tx -> {
                    byes.increment();
                    ended.add(tx.request().callId());
                    tx.respond(200);
                })
                .onAck((ack, flow) -> {
                    acks.increment();
                    acked.add(ack.callId());
                });
    }

    int port() {
        return port;
    }

    UserAgent userAgent() {
        return ua;
    }

    /** INVITEs passed to the handler: one per call when retransmissions are absorbed. */
    long invites() {
        return invites.sum();
    }

    /** BYEs passed to the handler. */
    long byes() {
        return byes.sum();
    }

    /** ACKs passed to the ACK handler, a retransmitted 2xx's ACK included. */
    long acks() {
        return acks.sum();
    }

    /** Call-IDs of the INVITEs answered. */
    Set<String> invitedCalls() {
        return Set.copyOf(invited);
    }

    /** Call-IDs of the BYEs answered. */
    Set<String> endedCalls() {
        return Set.copyOf(ended);
    }

    /** Call-IDs for which at least one ACK arrived. */
    Set<String> ackedCalls() {
        return Set.copyOf(acked);
    }

    TransactionStats awaitIdle() throws InterruptedException {
        return LiveTransactions.awaitZero(ua);
    }

    @Override
    public void close() {
        ua.close();
    }
}
