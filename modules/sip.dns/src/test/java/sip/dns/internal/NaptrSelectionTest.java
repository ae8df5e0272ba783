package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;

class NaptrSelectionTest {
    private static final Set<String> ALL = Set.of("udp", "tcp", "tls", "ws", "wss");

    private static NAPTRRecord naptr(int order, int preference, String flags, String service, String replacement) {
        return new NAPTRRecord(FakeZone.name("example.test"), DClass.IN, 60, order, preference, flags, service, "",
                replacement.equals(".") ? Name.root : FakeZone.name(replacement));
    }

    private static List<String> protocols(List<NaptrSelection.Choice> choices) {
        return choices.stream().map(NaptrSelection.Choice::protocol).toList();
    }

    @Test
    void orderedByOrderThenPreference() {
        List<NAPTRRecord> set = List.of(
                naptr(20, 10, "s", "SIP+D2U", "_sip._udp.example.test"),
                naptr(10, 90, "s", "SIP+D2T", "_sip._tcp.example.test"),
                naptr(10, 50, "s", "SIPS+D2T", "_sips._tcp.example.test"),
                naptr(10, 70, "S", "sip+d2w", "_sip._ws.example.test"));
        List<NaptrSelection.Choice> choices = NaptrSelection.select(set, ALL, false);
        assertEquals(List.of("tls", "ws", "tcp", "udp"), protocols(choices));
        assertEquals(FakeZone.name("_sips._tcp.example.test"), choices.getFirst().srvName());
    }

    @Test
    void onlySFlagsKnownServicesAndTheCallersTransports() {
        List<NAPTRRecord> set = List.of(
                naptr(10, 10, "a", "SIP+D2U", "sip1.example.test"),
                naptr(10, 20, "", "SIP+D2T", "_sip._tcp.example.test"),
                naptr(10, 30, "s", "SIP+D2S", "_sip._sctp.example.test"),
                naptr(10, 40, "s", "E2U+sip", "_sip._udp.example.test"),
                naptr(10, 50, "s", "SIP+D2U", "."),
                naptr(10, 60, "s", "SIPS+D2W", "_sips._ws.example.test"),
                naptr(10, 70, "s", "SIP+D2U", "_sip._udp.example.test"));
        assertEquals(List.of("wss", "udp"), protocols(NaptrSelection.select(set, ALL, false)));
        assertEquals(List.of("udp"), protocols(NaptrSelection.select(set, Set.of("udp", "tcp"), false)));
        assertEquals(List.of(), protocols(NaptrSelection.select(set, Set.of("tcp"), false)));
    }

    @Test
    void aSipsUriKeepsOnlySipsServices() {
        List<NAPTRRecord> set = List.of(
                naptr(10, 10, "s", "SIP+D2T", "_sip._tcp.example.test"),
                naptr(20, 10, "s", "SIPS+D2T", "_sips._tcp.example.test"),
                naptr(30, 10, "s", "SIPS+D2W", "_sips._ws.example.test"));
        assertEquals(List.of("tls", "wss"), protocols(NaptrSelection.select(set, ALL, true)));
    }

    @Test
    void servicesMapToProviderNames() {
        assertEquals("udp", NaptrSelection.protocol("SIP+D2U"));
        assertEquals("tcp", NaptrSelection.protocol("sip+d2t"));
        assertEquals("tls", NaptrSelection.protocol("SIPS+D2T"));
        assertEquals("ws", NaptrSelection.protocol("SIP+D2W"));
        assertEquals("wss", NaptrSelection.protocol("SIPS+D2W"));
        assertNull(NaptrSelection.protocol("SIPS+D2U"));
        assertNull(NaptrSelection.protocol("SIP+D2S"));
    }
}
