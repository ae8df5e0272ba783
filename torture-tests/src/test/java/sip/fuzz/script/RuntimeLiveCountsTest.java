package sip.fuzz.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.UserAgent;
import sip.script.ScriptRuntime;
import sip.script.ScriptStats;
import sip.testkit.SipGenerators;
import sip.transport.loopback.LoopbackNetwork;
import sip.transport.spi.Connection;
import sip.transport.spi.InboundHandler;
import sip.transport.spi.Transport;
import sip.transport.spi.Transports;

/**
 * Property 1's live counts, through the real {@link ScriptRuntime} (the tester hides its
 * counters): seeded {@link SipGenerators} requests, their top Via pointing back at a peer on the
 * in-memory {@code mem} network, go to a user agent running the read-every-view script; each gets
 * a final response, {@code inFlight} returns to 0 after each, no handler fails, and after
 * {@code close} every live count ({@code liveContexts}, {@code inFlight}, {@code storeEntries})
 * is 0.
 */
class RuntimeLiveCountsTest {

    private static final InetSocketAddress UA = new InetSocketAddress("10.0.0.2", 5060);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.9", 5060);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 40);

    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @Test
    void liveCountsReturnToZero() throws Exception {
        Path dir = Files.createTempDirectory("parley-fuzz-runtime");
        Path script = Files.writeString(dir.resolve("read.js"), ReadViewsFuzzTest.SCRIPT);
        BlockingQueue<SipResponse> responses = new LinkedBlockingQueue<>();
        try (LoopbackNetwork network = LoopbackNetwork.newBuilder().build();
             UserAgent ua = UserAgent.newBuilder().name("script-ua").transportConfig(network.transportConfig().build()).build()) {
            ua.listen("mem", "10.0.0.2:5060");
            Transport peer = Transports.open("mem", network.transportConfig().build(), new InboundHandler() {
                @Override
                public void onMessage(Connection connection, SipMessage message) {
                    if (message instanceof SipResponse r) {
                        responses.add(r);
                    }
                }

                @Override
                public void onMalformed(Connection connection, ParseResult.Malformed malformed) {
                    throw new AssertionError("the peer cannot parse what the UA sent: " + malformed.error());
                }
            });
            try {
                peer.listen(PEER);
                Connection toUa = peer.connect(UA);
                ScriptRuntime rt = ScriptRuntime.newBuilder(script).userAgent(ua).workers(1)
                        .handlerDeadline(Duration.ofSeconds(2)).build();
                int sent = 0;
                try {
                    for (long seed = 0; seed < SEEDS; seed++) {
                        SipRequest r = new SipGenerators(Picks.seeded(seed)).request();
                        String m = r.method().toString();
                        if (m.equals("ACK") || m.equals("CANCEL")) {
                            continue;
                        }
                        SipRequest toSend = r.toBuilder().removeHeader("Route")
                                .setHeader("Via", "SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKlive" + seed).build();
                        responses.clear();
                        toUa.send(toSend);
                        sent++;
                        SipResponse last = null;
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                        while (last == null || last.statusCode() < 200) {
                            SipResponse got = responses.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                            assertTrue(got != null, () -> "no final response to\n" + toSend);
                            if (got.callId().equals(toSend.callId())) {
                                last = got;
                            }
                        }
                        awaitZero(rt, "after\n" + toSend);
                    }
                    ScriptStats s = rt.stats();
                    assertEquals(0, s.scriptErrors(), s::toString);
                    assertEquals(0, s.timeouts(), s::toString);
                    assertEquals(0, s.noDisposition(), s::toString);
                    assertTrue(s.handled() > 0 && s.handled() <= sent, s::toString);
                } finally {
                    rt.close();
                }
                ScriptStats end = rt.stats();
                assertEquals(0, end.liveContexts(), end::toString);
                assertEquals(0, end.inFlight(), end::toString);
                assertEquals(0, end.storeEntries(), end::toString);
            } finally {
                peer.close();
            }
        }
    }

    /** Polls (deadline 20 s) until nothing is in flight: only for a count returning to zero. */
    private static void awaitZero(ScriptRuntime rt, String where) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rt.stats().inFlight() != 0) {
            assertTrue(System.nanoTime() < until, () -> "inFlight stays " + rt.stats().inFlight() + " " + where);
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }
}
