package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * The SRV draw seed's name hash, computed from the wire form, is the hash of the lower-cased
 * text form it replaced, so a seeded generator still gives the same SRV order as before.
 */
class SrvSeedHashTest {
    @Test
    void sameAsTheLowerCasedTextHash() throws Exception {
        for (String text : new String[] {"_sip._udp.example.test.", "_SIPS._Tcp.Example.TEST.", ".", "a.",
                "*.wild-card_x.test.", "we\\.ird.test.", "sp\\032ace.test.", "q\\\"uote\\(x\\)\\;\\@\\$.test.",
                "hi\\255gh\\127.test.", "z9~!#%^&*{}|=+`',<>?/[]:.test."}) {
            Name name = Name.fromString(text);
            assertEquals(name.toString().toLowerCase(Locale.ROOT).hashCode(), Rfc3263Locator.textHash(name), text);
        }
    }
}
