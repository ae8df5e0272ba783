package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TransportExceptionTest {

    @Test
    void messageTooLargeSaysWhatToDo() {
        MessageTooLargeException e = new MessageTooLargeException("udp", 1500, 1300);
        assertEquals(1500, e.size());
        assertEquals(1300, e.limit());
        assertEquals("udp message of 1500 bytes exceeds the limit of 1300 bytes; send it over a "
                + "congestion-controlled transport (RFC 3261 §18.1.1)", e.getMessage());
        assertInstanceOf(IOException.class, e);
    }

    @Test
    void closedNamesTheFlowAndKeepsTheCause() {
        IOException cause = new IOException("reset");
        Flow flow = new Flow("tcp", new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("::1", 5070));
        ConnectionClosedException e = new ConnectionClosedException(flow, cause);
        assertEquals("connection closed: tcp:127.0.0.1:5060->[0:0:0:0:0:0:0:1]:5070", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void limitAndTlsFailures() {
        assertEquals("tcp connection limit of 10 reached", new ConnectionLimitException("tcp", 10).getMessage());
        TlsException tls = new TlsException(TlsException.Failure.IDENTITY_MISMATCH, "cert names a.example", null);
        assertEquals(TlsException.Failure.IDENTITY_MISMATCH, tls.failure());
        assertEquals("IDENTITY_MISMATCH: cert names a.example", tls.getMessage());
        assertThrows(NullPointerException.class, () -> new TlsException(null, "x", null));
    }

    @Test
    void everyTransportFailureIsATransportException() {
        Flow flow = new Flow("udp", new InetSocketAddress("127.0.0.1", 1), new InetSocketAddress("127.0.0.1", 2));
        for (IOException e : new IOException[] {new MessageTooLargeException("udp", 2, 1),
                new ConnectionLimitException("tcp", 1), new ConnectionClosedException(flow, null),
                new TlsException(TlsException.Failure.TIMEOUT, "slow", null)}) {
            assertTrue(e instanceof TransportException, e::toString);
        }
    }
}
