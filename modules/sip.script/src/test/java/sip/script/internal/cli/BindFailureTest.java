package sip.script.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

/**
 * How {@code parley run} names a bind failure: only EADDRINUSE is "address already in use". The
 * OS messages are the JDK's (strerror); a privileged port cannot be provoked here (the tests may
 * run as root), so that mapping is checked on the exception the JDK would throw.
 */
class BindFailureTest {

    @Test
    void eachOsReasonKeepsItsMeaning() {
        assertEquals("address already in use", RunCommand.bindFailure(new BindException("Address already in use")));
        assertEquals("address not available on this host",
                RunCommand.bindFailure(new BindException("Cannot assign requested address")));
        assertEquals("permission denied", RunCommand.bindFailure(new BindException("Permission denied")));
        assertEquals("some other reason", RunCommand.bindFailure(new BindException("Some other reason")));
    }

    @Test
    void aWrappedBindExceptionIsFoundAndOtherFailuresKeepTheirMessage() {
        assertEquals("address not available on this host", RunCommand.bindFailure(
                new IOException("udp listener", new BindException("Cannot assign requested address"))));
        assertEquals("no provider for sctp", RunCommand.bindFailure(new IllegalArgumentException("no provider for sctp")));
    }
}
