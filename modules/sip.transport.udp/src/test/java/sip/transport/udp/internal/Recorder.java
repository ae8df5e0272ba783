package sip.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.Connection;
import sip.transport.spi.InboundHandler;

/** An {@link InboundHandler} that keeps what it is given, for a test to wait on. */
class Recorder implements InboundHandler {

    /** Generous: a loaded 2-core CI machine must never time out a datagram on loopback. */
    static final long WAIT_SECONDS = 5;

    record Received(Connection connection, SipMessage message) {
        String id() {
            String callId = message.callId();
            return callId.substring(0, callId.indexOf('@'));
        }
    }

    record Bad(Connection connection, ParseResult.Malformed malformed) {}

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Bad> malformed = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(Connection connection, SipMessage message) {
        messages.add(new Received(connection, message));
    }

    @Override
    public void onMalformed(Connection connection, ParseResult.Malformed m) {
        malformed.add(new Bad(connection, m));
    }

    /** The next message, failing the test if none comes within {@link #WAIT_SECONDS}. */
    Received next() throws InterruptedException {
        Received r = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(r, "no message within " + WAIT_SECONDS + " s");
        return r;
    }

    Bad nextMalformed() throws InterruptedException {
        Bad b = malformed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(b, "no malformed datagram within " + WAIT_SECONDS + " s");
        return b;
    }
}
