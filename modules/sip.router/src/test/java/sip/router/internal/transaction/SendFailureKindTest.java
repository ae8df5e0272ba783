package sip.router.internal.transaction;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import sip.transport.spi.ConnectionClosedException;
import sip.transport.spi.ConnectionLimitException;
import sip.transport.spi.MessageTooLargeException;

/**
 * Which failed sends of a client transaction are the network's (logged at INFO) and which are a
 * fault of this stack's choices (WARN with the cause): the 503 they end in reaches a proxy's
 * caller as a 500 that says nothing of the cause.
 */
class SendFailureKindTest {

    @Test
    void theNetworksFailuresAreExpected() {
        assertTrue(ClientMachine.networkFailure(new ConnectionClosedException("tcp", null, null)));
        assertTrue(ClientMachine.networkFailure(new ConnectionLimitException("tcp", 10)));
        assertTrue(ClientMachine.networkFailure(new SocketException("Connection reset")));
        assertTrue(ClientMachine.networkFailure(new ConnectException("Connection refused")));
        assertTrue(ClientMachine.networkFailure(new SocketTimeoutException("write timed out")));
    }

    @Test
    void aTransportRefusingTheMessageBySizeOrAnUnknownFailureIsNot() {
        assertFalse(ClientMachine.networkFailure(new MessageTooLargeException("udp", 2200, 1300)));
        assertFalse(ClientMachine.networkFailure(new IOException("something else")));
    }
}
