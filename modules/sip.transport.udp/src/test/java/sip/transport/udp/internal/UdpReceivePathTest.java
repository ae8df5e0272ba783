package sip.transport.udp.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.Connection;
import sip.transport.spi.Listener;
import sip.transport.spi.Transport;
import sip.transport.spi.TransportConfig;

/** What the reader and the workers make of what arrives: messages, garbage, pings, overload. */
class UdpReceivePathTest extends UdpTestBase {

    private Transport receiver;
    private Transport sender;

    /** A receiver with {@code handler} and a sender connected to it. */
    private Connection connect(TransportConfig config, Recorder handler) throws Exception {
        receiver = open(config, handler);
        sender = open(new Recorder());
        Listener listener = receiver.listen(loopback(V4));
        sender.listen(loopback(V4));
        return sender.connect(listener.localAddress());
    }

    @Test
    void aMalformedDatagramIsReportedWithItsPartialAndTheListenerReadsOn() throws Exception {
        Recorder handler = new Recorder();
        Connection out = connect(TransportConfig.defaults(), handler);
        out.send(Datagrams.truncatedRequest("bad"));

        Recorder.Bad bad = handler.nextMalformed();
        ParseResult.Malformed m = bad.malformed();
        assertEquals(400, m.error().status().code());
        SipMessage partial = m.partial().orElseThrow();
        assertEquals("bad@example.com", partial.callId());
        assertEquals(out.localAddress(), bad.connection().remoteAddress());

        out.send(Datagrams.request("good"));
        assertEquals("good", handler.next().id());
        assertEquals(1, receiver.stats().malformed());
        assertEquals(1, receiver.stats().messagesIn());
        assertTrue(handler.malformed.isEmpty());
    }

    @Test
    void crlfAndStunKeepAlivesAreCountedNotDelivered() throws Exception {
        Recorder handler = new Recorder();
        Connection out = connect(TransportConfig.defaults(), handler);
        out.send("\r\n\r\n".getBytes(US_ASCII));
        out.send("\r\n".getBytes(US_ASCII));
        out.send(Datagrams.stunBindingRequest());
        out.send(Datagrams.request("after"));

        // Loopback keeps order: the request arrives after the three pings were read.
        assertEquals("after", handler.next().id());
        assertEquals(3, receiver.stats().keepAlives());
        assertEquals(1, receiver.stats().messagesIn());
        assertEquals(0, receiver.stats().malformed());
        assertTrue(handler.messages.isEmpty());
        assertTrue(handler.malformed.isEmpty());
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheNextMessageStillArrives() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        Recorder handler = new Recorder() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                if (thrown.compareAndSet(false, true)) {
                    throw new IllegalStateException("handler bug (expected by the test)");
                }
                super.onMessage(connection, message);
            }
        };
        // One worker: the second message runs on the very thread the exception went through.
        Connection out = connect(TransportConfig.newBuilder().receiveWorkers(1).build(), handler);
        out.send(Datagrams.request("first"));
        out.send(Datagrams.request("second"));

        assertEquals("second", handler.next().id());
        assertTrue(thrown.get());
        assertEquals(1, receiver.stats().handlerErrors());
        assertEquals(2, receiver.stats().messagesIn());
    }

    @Test
    void anInterruptedHandlerThatAnswersClosesNeitherTheSocketNorTheWorker() throws Exception {
        Recorder handler = new Recorder() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                super.onMessage(connection, message);
                // A pending interrupt would close an interruptible channel, and with it the listener.
                Thread.currentThread().interrupt();
                try {
                    connection.send(Datagrams.response(message.callId().substring(0, 2), 0));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Recorder answers = new Recorder();
        receiver = open(TransportConfig.newBuilder().receiveWorkers(1).build(), handler);
        sender = open(answers);
        Listener listener = receiver.listen(loopback(V4));
        sender.listen(loopback(V4));
        Connection out = sender.connect(listener.localAddress());

        out.send(Datagrams.request("i1"));
        assertEquals("i1", answers.next().id());
        out.send(Datagrams.request("i2"));
        assertEquals("i2", answers.next().id(), "the same worker and socket serve the next one");
        assertTrue(listener.isOpen());
        assertEquals(0, receiver.stats().handlerErrors());
        assertEquals(1, receiver.stats().sockets());
    }

    @Test
    void underOverloadTheOldestAreDroppedAndTheNewestDelivered() throws Exception {
        int sent = 20;
        int capacity = 4;
        CountDownLatch release = new CountDownLatch(1);
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        Recorder handler = new Recorder() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                delivered.add(message.callId().substring(0, 3));
                super.onMessage(connection, message);
                try {
                    release.await(10, TimeUnit.SECONDS); // the first one holds the only worker
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Connection out = connect(TransportConfig.newBuilder().receiveWorkers(1)
                .receiveQueueCapacity(capacity).build(), handler);
        int size = Datagrams.request("m01").length;
        for (int i = 1; i <= sent; i++) {
            out.send(Datagrams.request(String.format("m%02d", i)));
        }
        // Every datagram was read off the socket while the worker was stuck.
        await("the reader read all " + sent, Duration.ofSeconds(5),
                () -> receiver.stats().bytesIn() == (long) sent * size);
        release.countDown();

        // Each datagram is either dropped or handed to the handler: wait until all are told apart.
        await("dropped + delivered == sent", Duration.ofSeconds(5),
                () -> receiver.stats().dropped() + receiver.stats().messagesIn() == sent);
        // One worker takes in order: when a later datagram arrives, the handler is done with the rest.
        out.send(Datagrams.request("end"));
        while (!handler.next().id().equals("end")) {
            // the survivors of the burst
        }
        long dropped = receiver.stats().dropped();
        List<String> got = List.copyOf(delivered.subList(0, delivered.size() - 1));
        assertEquals(sent, dropped + got.size(), "dropped " + dropped + " + delivered " + got);
        assertTrue(got.size() <= 1 + capacity, "one in the handler plus a full queue at most: " + got);
        assertEquals(List.of("m17", "m18", "m19", "m20"), got.subList(got.size() - capacity, got.size()),
                "the newest survive, in order: " + got);
    }

    @Test
    void sendsFromEightThreadsAllArrive() throws Exception {
        int threads = 8;
        // 96 small datagrams fit in even a default (~200 KB) kernel buffer, so none can be lost
        // there however long 8 busy senders on 2 cores keep the reader from running.
        int each = 12;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(threads * each);
        Recorder handler = new Recorder() {
            @Override
            public void onMessage(Connection connection, SipMessage message) {
                if (ids.add(message.callId())) {
                    all.countDown();
                }
            }
        };
        Connection out = connect(TransportConfig.defaults(), handler);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> senders = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    for (int i = 0; i < each; i++) {
                        out.send(Datagrams.request("t" + thread + "-" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : senders) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertTrue(all.await(10, TimeUnit.SECONDS), ids.size() + " of " + threads * each + " arrived");
        assertEquals(threads * each, sender.stats().messagesOut());
        assertEquals(threads * each, receiver.stats().messagesIn());
        assertEquals(0, receiver.stats().dropped());
    }
}
