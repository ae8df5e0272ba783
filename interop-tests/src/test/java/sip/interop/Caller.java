package sip.interop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.SipTimers;
import sip.router.TransactionStats;
import sip.router.UserAgent;

/**
 * A Parley UAC placing calls: INVITE with SDP, ACK for the 2xx (which the layer sends again for
 * each retransmitted 2xx: the peer retransmits its 200 until an ACK arrives, RFC 3261 §13.3.1.4),
 * then BYE in the dialog (§15.1.1: Request-URI the 2xx Contact, From and To with their tags, the
 * Call-ID, CSeq + 1).
 */
final class Caller implements AutoCloseable {

    /** Longer than Timer B (64×T1, 16 s with T1 250 ms): a stuck call fails, not hangs. */
    private static final long STEP_TIMEOUT_S = 30;

    private final UserAgent ua;
    private final SipUri contact;
    private final LongAdder acks = new LongAdder();

    Caller(String protocol, SipTimers timers) throws IOException {
        ua = UserAgent.newBuilder().name("parley-interop-uac").timers(timers).build();
        try {
            int port = ua.listen(protocol, "127.0.0.1:0").localAddress().getPort();
            contact = SipUri.of("parley", "127.0.0.1", port).withParameter("transport", protocol);
        } catch (IOException | RuntimeException e) {
            ua.close();
            throw e;
        }
    }

    UserAgent userAgent() {
        return ua;
    }

    /** ACKs sent through {@code Client.ack}: one a call (re-ACKs by the layer not counted). */
    long acks() {
        return acks.sum();
    }

    /**
     * Places {@code calls} calls to {@code target}, {@code parallel} at a time.
     *
     * @return what went wrong with each call that did not end with a 200 to its BYE; empty when
     *     all did
     */
    List<String> call(SipUri target, int calls, int parallel) throws InterruptedException {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                running.add(callers.submit(() -> {
                    while (next.getAndIncrement() < calls) {
                        try {
                            oneCall(target);
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause().toString());
                }
            }
        }
        return List.copyOf(failures);
    }

    private void oneCall(SipUri target) throws Exception {
        SipRequest invite = ua.client().newRequest(Method.INVITE, target)
                .set(HeaderType.CONTACT, Contact.of(contact))
                .body(ContentType.APPLICATION_SDP, CallAnswerer.SDP)
                .build();
        ClientTransaction tx = ua.client().request(invite);
        CompletableFuture<SipRequest> firstAck = new CompletableFuture<>();
        tx.onResponse(response -> {
            // The first 2xx only: the layer resends this same ACK for each retransmission of it.
            if (response.statusCode() / 100 != 2 || firstAck.isDone()) {
                return;
            }
            try {
                SipRequest ack = ua.client().ack(tx.request(), response);
                acks.increment();
                firstAck.complete(ack);
            } catch (IOException | RuntimeException e) {
                firstAck.completeExceptionally(e);
            }
        });
        SipResponse ok = tx.response().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
        if (ok.statusCode() != 200) {
            throw new IllegalStateException("INVITE " + invite.callId() + " got " + ok.statusCode()
                    + tx.failure().map(f -> " (" + f.reason() + ")").orElse(""));
        }
        // The peer expects the ACK before the BYE; the listener sends it on its own thread.
        firstAck.get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
        SipRequest bye = ua.client().newRequest(Method.BYE, ok.contacts().getFirst().uri())
                .from(tx.request().from())
                .to(ok.to())
                .callId(invite.callId())
                .cseq(invite.cseq().sequence() + 1)
                .build();
        SipResponse byeAnswer = ua.client().request(bye).response().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
        if (byeAnswer.statusCode() != 200) {
            throw new IllegalStateException("BYE " + invite.callId() + " got " + byeAnswer.statusCode());
        }
    }

    TransactionStats awaitIdle() throws InterruptedException {
        return LiveTransactions.awaitZero(ua);
    }

    @Override
    public void close() {
        ua.close();
    }
}
