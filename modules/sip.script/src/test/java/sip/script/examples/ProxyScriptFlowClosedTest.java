package sip.script.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.SipUri;
import sip.router.UserAgent;
import sip.router.registrar.AddressOfRecord;
import sip.script.ScriptRuntime;

/**
 * examples/proxy.js on a real TCP listener: a phone that names itself by a {@code *.invalid}
 * host (as browser phones do over their WebSocket) registers over its connection; when the
 * connection closes, the runtime has removed the binding, long before it would expire.
 */
@Timeout(60)
class ProxyScriptFlowClosedTest {

    private UserAgent ua;
    private ScriptRuntime rt;

    @AfterEach
    void close() {
        if (rt != null) {
            rt.close();
        }
        if (ua != null) {
            ua.close();
        }
    }

    @Test
    void aPhonesBindingLeavesWithItsConnection() throws Exception {
        ua = UserAgent.newBuilder().name("proxy").closeTimeout(Duration.ZERO).build();
        rt = ScriptRuntime.newBuilder(Examples.script("proxy.js")).userAgent(ua).workers(1).build();
        InetSocketAddress proxy = ua.listen("tcp", "127.0.0.1:0").localAddress();
        AddressOfRecord alice = AddressOfRecord.of(SipUri.parse("sip:alice@127.0.0.1"));

        try (Socket phone = new Socket()) {
            phone.connect(proxy, 5_000);
            phone.setSoTimeout(10_000);
            String register = "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP df7jal23ls0d.invalid;branch=z9hG4bK-flow-1\r\n"
                    + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                    + "To: <sip:alice@127.0.0.1>\r\n"
                    + "Call-ID: flow-closed-1\r\n"
                    + "CSeq: 1 REGISTER\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Contact: <sip:alice@df7jal23ls0d.invalid;transport=tcp>;expires=600\r\n"
                    + "Content-Length: 0\r\n\r\n";
            phone.getOutputStream().write(register.getBytes(StandardCharsets.UTF_8));
            String status = statusLine(phone.getInputStream());
            assertTrue(status.startsWith("SIP/2.0 200"), "over the connection despite the .invalid Via: " + status);
            assertEquals(1, rt.locationService().lookup(alice).size());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!rt.locationService().lookup(alice).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the binding outlived its connection by 10 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }
}
