package sip.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sip.router.proxy.ProxyBed.PROXY;
import static sip.router.proxy.ProxyBed.UAC;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipUri;
import sip.router.ClientTransaction;
import sip.router.Destination;
import sip.router.UserAgent;

/** A branch whose send fails below the proxy ends with a local response; its context ends. */
@Timeout(60)
class BranchFailureTest {

    private final ProxyBed bed = new ProxyBed();

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    @Test
    void aRuntimeExceptionWhileSendingABranchEndsItWith500() throws Exception {
        // A locator with a bug: every lookup throws. The branch builder tolerates it, the
        // transaction layer's own lookup does not.
        UserAgent ua = bed.agent("proxy", PROXY, b -> b.serverLocator((uri, protocols) -> {
            throw new IllegalStateException("locator bug");
        }), "mem");
        Proxy proxy = Proxy.newBuilder(ua).build();
        proxy.onRequest(req -> proxy.relay(req, SipUri.parse("sip:bob@boom.invalid")));
        UserAgent uac = bed.agent("uac", UAC, "mem");
        ClientTransaction call = uac.client().request(ProxyBed.invite(uac, SipUri.parse("sip:bob@boom.invalid")),
                Destination.of("mem", PROXY));
        assertEquals(500, call.response().get(10, TimeUnit.SECONDS).statusCode());
        ProxyBed.await(() -> proxy.stats().liveContexts() == 0 && proxy.stats().liveBranches() == 0,
                "the context ended");
        proxy.close();
        bed.drain();
    }
}
