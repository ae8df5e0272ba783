package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;
import static sip.router.proxy.ProxyBed.UAS1;
import static sip.router.proxy.ProxyBed.memUri;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.ServerTransaction;
import sip.router.UserAgent;

/**
 * The next hop is found only when the branch is sent (the transaction layer locates it, to fail
 * over through what it finds): the Record-Route must still name the transport the request leaves
 * on (RFC 5658).
 */
@Timeout(60)
class LateNextHopTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void aNextHopLocatedOnlyAtSendTimeStillGetsADoubleRecordRoute() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        UserAgent ua = bed.agent("proxy", PROXY, b -> b.serverLocator((uri, protocols) -> {
            lookups.incrementAndGet();
            return List.of(Destination.of("mem-stream", UAS1));
        }), "mem", "mem-stream");
        Proxy proxy = Proxy.newBuilder(ua).build();
        proxy.onRequest(req -> proxy.relay(req, memUri("bob", UAS1)));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ProxyBed.Uas uas = bed.uas("uas", UAS1, "mem-stream");
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, memUri("bob", UAS1)),
                Destination.of("mem", PROXY));
        ServerTransaction at = uas.take(Method.INVITE);
        assertEquals(1, lookups.get(), "one lookup, at send time");
        List<NameAddress> rr = at.request().all(HeaderType.RECORD_ROUTE);
        assertEquals(2, rr.size(), "crossing transports: " + rr);
        assertEquals("mem-stream", ((SipUri) rr.get(0).uri()).transport());
        assertEquals("mem", ((SipUri) rr.get(1).uri()).transport());
        at.respond(486);
        assertEquals(486, call.response().get(10, TimeUnit.SECONDS).statusCode());
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0, "the context ended");
        proxy.close();
        bed.drain();
    }
}
