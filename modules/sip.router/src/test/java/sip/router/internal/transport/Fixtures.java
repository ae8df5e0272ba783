package sip.router.internal.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipUri;
import sip.router.ServerLocator;
import sip.router.SipTimers;
import sip.router.VirtualScheduler;
import sip.router.internal.Settings;
import sip.transport.spi.TransportConfig;

/** Settings and messages the transport layer tests share. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * Lets the tests (patched into {@code sip.router}) read the loopback module, which the module
     * does not require: surefire only adds reads of the class path. Touches no loopback type, so
     * it can run before any is resolved.
     */
    static void readLoopbackModule() {
        ModuleLayer.boot().findModule("sip.transport.loopback")
                .ifPresent(m -> Fixtures.class.getModule().addReads(m));
    }

    /** The builder's defaults, with the given transport settings, host name and locator. */
    static Settings settings(TransportConfig config, String hostName, ServerLocator locator) {
        return new Settings("Parley", null, hostName, config, SipTimers.DEFAULT, new VirtualScheduler(),
                locator, Duration.ofMillis(200), 10_000, Duration.ofSeconds(5), Duration.ofSeconds(32),
                Duration.ofMinutes(3), Duration.ofSeconds(5));
    }

    /** A new OPTIONS request to {@code requestUri}, without a Via (the layer adds it). */
    static SipRequest options(String requestUri) {
        return SipRequest.builder(Method.OPTIONS, SipUri.parse(requestUri))
                .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("a1"))
                .to(NameAddress.of(SipUri.parse("sip:bob@example.com")))
                .callId("call-" + System.nanoTime())
                .cseq(1)
                .build();
    }

    /** Parses wire text written with \n line ends (turned into CRLF). */
    static SipMessage parse(String text) {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        if (SipParser.lenient().parse(bytes) instanceof ParseResult.Parsed(SipMessage m)) {
            return m;
        }
        throw new AssertionError("does not parse: " + text);
    }

    static byte[] wire(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
