package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import sip.message.ParseResult;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.transport.spi.Flow;

/** REGISTER requests for tests: from text, or byte-exact from the RFC 4475 corpus. */
final class Registers {
    static final Flow FLOW = new Flow("udp", new InetSocketAddress("192.0.2.10", 5060),
            new InetSocketAddress("198.51.100.7", 40000));

    private Registers() {
    }

    /**
     * A REGISTER for {@code sip:alice@example.com} with {@code callId}, {@code cseq} and extra
     * header lines (each ending in \n).
     */
    static SipRequest register(String callId, long cseq, String extraHeaders) {
        return registerFor("sip:alice@example.com", callId, cseq, extraHeaders);
    }

    static SipRequest registerFor(String to, String callId, long cseq, String extraHeaders) {
        return parse(text(to, callId, cseq, extraHeaders), SipParser.lenient());
    }

    /** As {@link #register} but parsed LAZY, so a malformed header reaches the registrar. */
    static SipRequest lazyRegister(String callId, long cseq, String extraHeaders) {
        return parse(text("sip:alice@example.com", callId, cseq, extraHeaders),
                SipParser.newBuilder().validation(SipParser.Validation.LAZY).build());
    }

    private static byte[] text(String to, String callId, long cseq, String extraHeaders) {
        return ("REGISTER sip:example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP 198.51.100.7:40000;branch=z9hG4bK-" + callId.hashCode() + "-" + cseq + "\n"
                + "From: <" + to + ">;tag=f1\n"
                + "To: <" + to + ">\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " REGISTER\n"
                + "Max-Forwards: 70\n"
                + extraHeaders
                + "Content-Length: 0\n\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static SipRequest parse(byte[] bytes) {
        return parse(bytes, SipParser.lenient());
    }

    private static SipRequest parse(byte[] bytes, SipParser parser) {
        ParseResult r = parser.parse(bytes);
        return assertInstanceOf(SipRequest.class,
                assertInstanceOf(ParseResult.Parsed.class, r, () -> "does not parse: " + r).message());
    }

    /**
     * An RFC 4475 message, byte-exact: {@code parley.shared} when set, else the first
     * {@code shared/torture} beside a directory above the working directory.
     */
    static byte[] torture(String file) {
        try {
            return Files.readAllBytes(tortureDir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tortureDir() {
        String prop = System.getProperty("parley.shared");
        if (prop != null && !prop.isBlank() && !prop.contains("${")) {
            Path p = Paths.get(prop, "torture", "rfc4475");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("torture").resolve("rfc4475");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no shared/torture/rfc4475 above " + Paths.get("").toAbsolutePath());
    }
}
