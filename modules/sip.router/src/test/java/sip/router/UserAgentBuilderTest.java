package sip.router;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserAgentBuilderTest {

    @Test
    void hostNameMustBeASipHost() {
        assertDoesNotThrow(() -> UserAgent.newBuilder().hostName("sip.example.com"));
        assertDoesNotThrow(() -> UserAgent.newBuilder().hostName("192.0.2.7"));
        assertDoesNotThrow(() -> UserAgent.newBuilder().hostName("[2001:db8::1]"));
        IllegalArgumentException v6 = assertThrows(IllegalArgumentException.class,
                () -> UserAgent.newBuilder().hostName("2001:db8::1"));
        assertTrue(v6.getMessage().contains("brackets"), v6.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UserAgent.newBuilder().hostName("a b"));
        assertThrows(IllegalArgumentException.class, () -> UserAgent.newBuilder().hostName("x\r\nVia: y"));
    }

    @Test
    void withoutALocatorServiceTheJdkLocatorIsTheDefault() {
        try (UserAgent ua = UserAgent.newBuilder().build()) {
            assertTrue(((sip.router.internal.UserAgentImpl) ua).settings().locator() == ServerLocator.jdk());
        }
    }
}
