package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;
import sip.transport.spi.Connection;

/**
 * RFC 3263 §5: a response whose request's connection is gone and whose {@code received} cannot
 * be reached goes to the servers its Via's sent-by name locates to, looked up off the sending
 * thread; its retransmissions take the connection that lookup opened.
 */
@Timeout(30)
class SentByResponseTest {

    private static final String REQUEST = """
            OPTIONS sip:bob@10.0.0.1 SIP/2.0
            Via: SIP/2.0/MEM-STREAM client.test:5077;branch=z9hG4bKsentby
            From: <sip:alice@example.com>;tag=1
            To: <sip:bob@example.com>
            Call-ID: sent-by@test
            CSeq: 1 OPTIONS
            Max-Forwards: 70
            Content-Length: 0

            """;

    /** What {@link ServerLocator#locateSentBy} was asked, and on which kind of thread. */
    record Lookup(String protocol, String host, int port, boolean virtual) {
    }

    private static final class SentByLocator implements ServerLocator {
        final List<Lookup> lookups = new CopyOnWriteArrayList<>();
        final List<Destination> answer;
        final IOException failure;
        /** Holds the lookup until released, so the response is queued before it ends. */
        final CountDownLatch release = new CountDownLatch(1);

        SentByLocator(List<Destination> answer, IOException failure) {
            this.answer = answer;
            this.failure = failure;
        }

        @Override
        public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
            throw new IOException("not for requests in this test");
        }

        @Override
        public List<Destination> locateSentBy(String protocol, String host, int port) throws IOException {
            lookups.add(new Lookup(protocol, host, port, Thread.currentThread().isVirtual()));
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the lookup");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    /** The request arrives over a mem-stream connection the peer then closes. */
    private static RecordingSink.Received<SipRequest> arriveAndClose(LoopbackRig rig) throws IOException {
        Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
        c.send(Fixtures.wire(REQUEST));
        rig.network.deliverAll();
        var request = rig.sink.requests.remove();
        assertEquals("10.0.0.2", request.message().topVia().received());
        c.close();
        rig.network.deliverAll();
        assertFalse(request.connection().isOpen());
        return request;
    }

    /** Delivers by hand until {@code condition} holds: the lookup runs on a thread of its own. */
    private static void deliverUntil(LoopbackRig rig, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            rig.network.deliverAll();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void theSentByNameIsLocatedAndItsDestinationsTriedInOrderOffTheSendingThread() throws IOException {
        InetSocketAddress nobody = new InetSocketAddress("10.0.0.9", 5077);
        SentByLocator locator = new SentByLocator(List.of(
                Destination.of("mem-stream", new InetSocketAddress("239.1.2.3", 5077)), // never: multicast
                Destination.of("mem-stream", nobody),                                   // refused
                Destination.of("mem-stream", LoopbackRig.PEER)), null);                 // listening
        try (LoopbackRig rig = new LoopbackRig(null, locator, true)) {
            var request = arriveAndClose(rig);
            // received 10.0.0.2 at the sent-by port 5077: nothing listens there.
            OutboundResponse out = rig.layer.sendResponse(SipResponse.forRequest(request.message(), 200),
                    request.connection());
            rig.layer.resend(out); // a retransmission before the lookup ends waits in line
            locator.release.countDown();
            // Both copies can reach the peer before the lookup's thread makes the connection it
            // flushed them to the one later sends take: wait for that too.
            deliverUntil(rig, () -> rig.peerReceived.size() == 2
                    && LoopbackRig.PEER.equals(out.connection().remoteAddress()), "the response at the located peer");
            assertEquals(rig.peerReceived.get(0).message().toString(), rig.peerReceived.get(1).message().toString());
            rig.peerReceived.removeFirst();
            LoopbackRig.Arrival got = rig.peerGotOne();
            assertEquals(LoopbackRig.PEER, got.connection().localAddress());
            assertEquals(200, ((SipResponse) got.message()).statusCode());
            assertEquals(List.of(new Lookup("mem-stream", "client.test", 5077, true)), locator.lookups);
            assertEquals(LoopbackRig.PEER, out.connection().remoteAddress(), "the connection the lookup opened");

            rig.layer.resend(out);
            LoopbackRig.Arrival again = rig.peerGotOne();
            assertEquals(got.connection().flow(), again.connection().flow(), "the retransmission on that connection");
            assertEquals(1, locator.lookups.size(), "no second lookup for the retransmission");
            assertEquals(0, rig.counters.transportErrors.sum());
        }
    }

    @Test
    void whenNothingLocatedAnswersTheResponseIsDroppedCountedAndLaterSendsFail() throws IOException {
        SentByLocator locator = new SentByLocator(List.of(), new IOException("DNS NO_SUCH_NAME for client.test"));
        try (LoopbackRig rig = new LoopbackRig(null, locator, true)) {
            var request = arriveAndClose(rig);
            OutboundResponse out = rig.layer.sendResponse(SipResponse.forRequest(request.message(), 200),
                    request.connection());
            locator.release.countDown();
            deliverUntil(rig, () -> rig.counters.transportErrors.sum() == 1, "the failure counted");
            assertTrue(rig.peerReceived.isEmpty());
            IOException e = assertThrows(IOException.class, () -> rig.layer.resend(out));
            assertTrue(e.getMessage().contains("client.test"), e.getMessage());
        }
    }

    @Test
    void aSentByAddressIsNotLookedUp() throws IOException {
        SentByLocator locator = new SentByLocator(List.of(Destination.of("mem-stream", LoopbackRig.PEER)), null);
        locator.release.countDown();
        try (LoopbackRig rig = new LoopbackRig(null, locator, true)) {
            Connection c = rig.peerStream.connect(LoopbackRig.LOCAL);
            c.send(Fixtures.wire(REQUEST.replace("client.test:5077", "10.0.0.3:5077")));
            rig.network.deliverAll();
            var request = rig.sink.requests.remove();
            c.close();
            rig.network.deliverAll();
            assertThrows(IOException.class, () -> rig.layer.sendResponse(
                    SipResponse.forRequest(request.message(), 200), request.connection()));
            assertTrue(locator.lookups.isEmpty());
        }
    }
}
