package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolTest {

    @Test
    void standardProtocols() {
        assertEquals(new Protocol("udp", false, false, false, 5060), Protocol.UDP);
        assertEquals(new Protocol("tcp", true, true, false, 5060), Protocol.TCP);
        assertEquals(new Protocol("tls", true, true, true, 5061), Protocol.TLS);
        assertEquals(new Protocol("ws", true, false, false, 80), Protocol.WS);
        assertEquals(new Protocol("wss", true, false, true, 443), Protocol.WSS);
        assertTrue(Protocol.TLS.secure() && Protocol.TLS.stream());
        assertFalse(Protocol.WS.stream(), "WebSocket frames carry whole messages");
    }

    @Test
    void namesAreLowerCasedAndViaTokensUpperCased() {
        Protocol p = new Protocol("Mem-Stream", true, true, false, 5060);
        assertEquals("mem-stream", p.name());
        assertEquals("MEM-STREAM", p.viaToken());
        assertEquals("UDP", Protocol.UDP.viaToken());
        assertEquals("WSS", Protocol.WSS.viaToken());
        assertEquals(new Protocol("SCTP", true, false, false, 5060), new Protocol("sctp", true, false, false, 5060));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "u dp", "tcp/2", "udp;x", "é", "a:b"})
    void namesMustBeTokens(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Protocol(name, false, false, false, 5060));
        assertTrue(e.getMessage().contains("SIP token"), e.getMessage());
    }

    @Test
    void tokenPunctuationIsAllowed() {
        assertEquals("x-a.b!c%d*e_f+g`h'i~j", new Protocol("x-a.b!c%d*e_f+g`h'i~j", false, false, false, 1).name());
    }

    @Test
    void defaultPortMustBeAPort() {
        assertThrows(IllegalArgumentException.class, () -> new Protocol("udp", false, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Protocol("udp", false, false, false, 65536));
        assertEquals(65535, new Protocol("udp", false, false, false, 65535).defaultPort());
        assertThrows(NullPointerException.class, () -> new Protocol(null, false, false, false, 5060));
    }
}
