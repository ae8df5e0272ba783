package sip.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sip.message.SipUri;

/**
 * How this agent names WebSocket listeners in its URIs (RFC 7118 §5.2: {@code transport=ws} for
 * WS and WSS alike, {@code sip:} unless the request is {@code sips:}) and which hosts are never
 * looked up ({@code *.invalid}, RFC 6761 §6.4).
 */
class WebSocketNamesTest {

    @Test
    void wsAndWssListenersAreBothTransportWs() {
        SipUri ws = LocalContact.of(null, "192.0.2.10", 8080, "ws", false);
        SipUri wss = LocalContact.of(null, "192.0.2.10", 8443, "wss", false);
        assertEquals("sip:192.0.2.10:8080;transport=ws", ws.toString());
        assertEquals("sip:192.0.2.10:8443;transport=ws", wss.toString(), "RFC 7118 §8: sip: and transport=ws for WSS");
        SipUri sips = LocalContact.of("alice", "192.0.2.10", 8443, "wss", true);
        assertTrue(sips.secure());
        assertEquals("ws", sips.transport(), "a sips: URI with transport=ws reads WSS");
        assertNull(LocalContact.of(null, "192.0.2.10", 5061, "tls", true).transport(), "sips alone means TLS");
        assertEquals("tcp", LocalContact.of(null, "192.0.2.10", 5060, "tcp", false).transport());
        assertNull(LocalContact.of(null, "192.0.2.10", 5060, "udp", false).transport());
    }

    @Test
    void transportWsNamesBothWebSocketListeners() {
        assertTrue(LocalContact.names("ws", "ws"));
        assertTrue(LocalContact.names("ws", "wss"));
        assertTrue(LocalContact.names("WSS", "wss"), "what some peers write; accepted");
        assertFalse(LocalContact.names("ws", "tcp"));
        assertFalse(LocalContact.names("tcp", "ws"));
        assertTrue(LocalContact.names("mem-stream", "mem-stream"));
    }

    @Test
    void invalidNamesAreRecognisedWhateverTheirCase() {
        assertTrue(HostAddresses.isInvalidName("df7jal23ls0d.invalid"));
        assertTrue(HostAddresses.isInvalidName("DF7JAL23LS0D.INVALID."));
        assertTrue(HostAddresses.isInvalidName("invalid"), "the reserved name itself (RFC 6761 §6.4)");
        assertFalse(HostAddresses.isInvalidName(".invalid"), "no label before it");
        assertFalse(HostAddresses.isInvalidName("invalid.example.com"));
        assertFalse(HostAddresses.isInvalidName("192.0.2.1"));
        assertFalse(HostAddresses.isInvalidName("notinvalid"));
    }
}
