package sip.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.ContentType;
import sip.message.Method;
import sip.message.ParseResult;
import sip.message.Parameters;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.StandardHeader;
import sip.router.RequestHandler;

/**
 * The UAS checks against the RFC 4475 messages whose answer is the application's (MANIFEST.tsv
 * rows of class transaction/application, plus badvers and mismatch01/02), and the finer points
 * of each check on hand-made requests.
 */
class RequestValidatorTest {

    private static final RequestHandler ANSWER_200 = tx -> tx.respond(200);
    private static final SipParser LAZY = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();

    /** A user agent that takes calls and registrations, like most. */
    private static final ServerConfig UA = ServerConfig.DEFAULT
            .withHandler(Method.INVITE, ANSWER_200)
            .withHandler(Method.BYE, ANSWER_200)
            .withHandler(Method.REGISTER, ANSWER_200);

    /**
     * What a UAS answers a file with: the parser's status when it rejects the bytes (the
     * transport layer sends that statelessly), else the validator's answer, or null to dispatch.
     * LAZY parsing lets the validator see what FULL validation would have rejected first.
     */
    private static Rejection answer(String file, ServerConfig config) {
        return switch (LAZY.parse(Rfc4475Files.read(file))) {
            case ParseResult.Parsed p -> RequestValidator.check(assertInstanceOf(SipRequest.class, p.message()), config)
                    .orElse(null);
            case ParseResult.Malformed m -> Rejection.of(m.error().status());
            default -> throw new AssertionError(file + " is not one message");
        };
    }

    /** As {@link #answer} but the file must reach the validator. */
    private static Rejection validated(String file, ServerConfig config) {
        ParseResult r = LAZY.parse(Rfc4475Files.read(file));
        SipRequest req = assertInstanceOf(SipRequest.class, assertInstanceOf(ParseResult.Parsed.class, r,
                () -> file + ": " + r).message());
        return RequestValidator.check(req, config).orElse(null);
    }

    // ------------------------------------------------------------ RFC 4475

    @Test
    void insufIs400NamingTheMissingHeaders() {
        Rejection r = validated("insuf.dat", UA);
        assertEquals(400, r.code());
        String reason = r.status().reason();
        assertTrue(reason.startsWith("Bad Request ("), reason);
        for (String h : List.of("From", "To", "Call-ID")) {
            assertTrue(reason.contains(h), reason + " names " + h);
        }
        assertFalse(reason.contains("RFC 3261"), "the detail is short: " + reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unkscm.dat", "novelsc.dat"})
    void requestUriWithAnotherSchemeIs416(String file) {
        Rejection r = validated(file, UA);
        assertEquals(416, r.code());
        assertEquals("Unsupported URI Scheme", r.status().reason());
    }

    @Test
    void bext01Is420ListingRequireOnlyNotProxyRequire() {
        Rejection r = validated("bext01.dat", UA);
        assertEquals(420, r.code());
        assertEquals("nothingSupportsThis, nothingSupportsThisEither", r.header(StandardHeader.UNSUPPORTED));
        assertEquals(1, r.headers().size(), "only Unsupported: " + r.headers());
    }

    @Test
    void bext01PassesWhenTheExtensionsAreSupportedWhateverTheirCase() {
        ServerConfig c = UA.withSupported(List.of("NothingSupportsThis", "nothingsupportsthiseither"));
        assertNull(validated("bext01.dat", c), "Proxy-Require is not the UAS's business (RFC 3261 §8.2.2.3)");
    }

    @Test
    void bext01WithOneTagSupportedListsOnlyTheOther() {
        Rejection r = validated("bext01.dat", UA.withSupported(List.of("nothingSupportsThis")));
        assertEquals("nothingSupportsThisEither", r.header(StandardHeader.UNSUPPORTED));
    }

    @Test
    void invutIs415WithAccept() {
        Rejection r = validated("invut.dat", UA);
        assertEquals(415, r.code());
        assertEquals("application/sdp", r.header(StandardHeader.ACCEPT));
    }

    @Test
    void invutPassesWhenItsTypeIsAccepted() {
        assertNull(validated("invut.dat", UA.withAccepted(List.of("application/sdp", "application/unknownformat"))));
    }

    @Test
    void sdp01Is406() {
        Rejection r = validated("sdp01.dat", UA);
        assertEquals(406, r.code());
        assertEquals("Not Acceptable", r.status().reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mismatch01.dat", "mismatch02.dat"})
    void cseqMethodMismatchIs400(String file) {
        Rejection r = validated(file, UA);
        assertEquals(400, r.code());
        assertTrue(r.status().reason().contains("CSeq"), r.status().reason());
    }

    @Test
    void mismatch02Is400Not405EvenThoughNewMethodHasNoHandler() {
        assertEquals(400, validated("mismatch02.dat", ServerConfig.DEFAULT).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi01.dat", "mcl01.dat"})
    void repeatedSingleHeadersAre400(String file) {
        assertEquals(400, answer(file, UA).code());
    }

    @Test
    void badversIs505() {
        assertEquals(505, answer("badvers.dat", UA).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zeromf.dat", "unksm2.dat", "cparam01.dat", "cparam02.dat", "inv2543.dat",
        "badbranch.dat", "regaut01.dat", "regescrt.dat"})
    void validRequestsReachTheirHandler(String file) {
        assertNull(validated(file, UA), file);
        ParseResult full = SipParser.lenient().parse(Rfc4475Files.read(file));
        SipRequest r = assertInstanceOf(SipRequest.class, assertInstanceOf(ParseResult.Parsed.class, full).message());
        assertEquals(Optional.empty(), RequestValidator.check(r, UA), file + " parsed FULL");
    }

    @Test
    void zeromfIsAnsweredByAUasNot483() {
        assertNull(validated("zeromf.dat", ServerConfig.DEFAULT), "OPTIONS without a handler still passes");
    }

    // ------------------------------------------------------------ each check

    @Test
    void noHandlerAndNoDefaultIs405WithAllow() {
        Rejection r = RequestValidator.check(Messages.request("MESSAGE", "", ""), UA).orElseThrow();
        assertEquals(405, r.code());
        assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER", r.header(StandardHeader.ALLOW));
    }

    @Test
    void allowListsExtensionMethodsAfterKnownOnes() {
        ServerConfig c = ServerConfig.DEFAULT.withHandler(Method.of("ZETA"), ANSWER_200)
                .withHandler(Method.of("ALPHA"), ANSWER_200).withHandler(Method.MESSAGE, ANSWER_200);
        assertEquals("ACK, CANCEL, OPTIONS, MESSAGE, ALPHA, ZETA", c.allow());
    }

    @Test
    void defaultHandlerTakesEveryMethod() {
        ServerConfig c = ServerConfig.DEFAULT.withFallback(ANSWER_200);
        assertEquals(Optional.empty(), RequestValidator.check(Messages.request("MESSAGE", "", ""), c));
    }

    @Test
    void badRequestBeatsMethodAndScheme() {
        // 405 (no handler) and 416 would apply too.
        SipRequest r = Messages.lazyRequest("NEWTHING nobody:x SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>\n"
                + "Call-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n");
        assertEquals(400, RequestValidator.check(r, ServerConfig.DEFAULT).orElseThrow().code());
    }

    @Test
    void methodIsCheckedBeforeScheme() {
        SipRequest r = Messages.request("MESSAGE nobody:x SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>\n"
                + "Call-ID: x\nCSeq: 1 MESSAGE\nContent-Length: 0\n\n");
        assertEquals(405, RequestValidator.check(r, UA).orElseThrow().code());
    }

    @Test
    void telAndSipsRequestUrisAreAccepted() {
        for (String uri : List.of("tel:+15551234567", "sips:bob@example.com", "SIP:bob@example.com")) {
            SipRequest r = Messages.request("OPTIONS " + uri + " SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>\n"
                    + "Call-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n");
            assertEquals(Optional.empty(), RequestValidator.check(r, UA), uri);
        }
    }

    @Test
    void extensionCheckComesBeforeBodyCheck() {
        SipRequest r = Messages.request("INVITE", "Require: foo\nContent-Type: text/plain\n", "hello");
        assertEquals(420, RequestValidator.check(r, UA).orElseThrow().code());
    }

    @Test
    void unknownContentEncodingIs415WithAcceptEncoding() {
        SipRequest r = Messages.request("INVITE", "Content-Type: application/sdp\nContent-Encoding: gzip\n", "v=0\r\n");
        Rejection rej = RequestValidator.check(r, UA).orElseThrow();
        assertEquals(415, rej.code());
        assertEquals("identity", rej.header(StandardHeader.ACCEPT_ENCODING));
    }

    @Test
    void identityEncodingAndMediaTypeCaseAreFine() {
        SipRequest r = Messages.request("INVITE", "Content-Type: Application/SDP\nContent-Encoding: identity\n", "v=0\r\n");
        assertEquals(Optional.empty(), RequestValidator.check(r, UA));
    }

    @Test
    void aBodyWithoutContentTypeIs415() {
        SipRequest r = Messages.request("BYE", "", "stuff");
        assertEquals(415, RequestValidator.check(r, UA).orElseThrow().code());
    }

    @Test
    void noBodyIsAlwaysAccepted() {
        SipRequest r = Messages.request("BYE", "Content-Type: text/weird\n", "");
        assertEquals(Optional.empty(), RequestValidator.check(r, UA.withAccepted(List.of())));
    }

    @Test
    void requireIsIgnoredForAck() {
        SipRequest ack = Messages.request("ACK", "Require: nothingSupportsThis\n", "");
        ServerConfig c = UA.withHandler(Method.ACK, ANSWER_200);
        assertEquals(Optional.empty(), RequestValidator.check(ack, c));
    }

    @Test
    void acceptRangesWithWildcardsMatch() {
        List<String> sdp = List.of("application/sdp");
        assertTrue(RequestValidator.acceptsAny(List.of(ContentType.of("*", "*")), sdp));
        assertTrue(RequestValidator.acceptsAny(List.of(ContentType.of("application", "*")), sdp));
        assertTrue(RequestValidator.acceptsAny(List.of(ContentType.of("text", "html"), ContentType.of("Application", "SDP")), sdp));
        assertFalse(RequestValidator.acceptsAny(List.of(ContentType.of("text", "*")), sdp));
        assertFalse(RequestValidator.acceptsAny(List.of(), sdp), "an empty Accept allows nothing");
        assertFalse(RequestValidator.acceptsAny(
                List.of(new ContentType("application", "sdp", Parameters.of("q", "0"))), sdp), "q=0 refuses");
    }

    @Test
    void inviteAcceptingSdpPassesAndNonInviteIsNotChecked() {
        assertEquals(Optional.empty(), RequestValidator.check(
                Messages.request("INVITE", "Accept: application/sdp, text/plain\n", ""), UA));
        assertEquals(Optional.empty(), RequestValidator.check(
                Messages.request("BYE", "Accept: text/nobodyKnowsThis\n", ""), UA));
    }

    @Test
    void aServerAcceptingNoBodyAnswers415WithoutAccept() {
        SipRequest r = Messages.request("BYE", "Content-Type: application/sdp\n", "v=0\r\n");
        Rejection rej = RequestValidator.check(r, UA.withAccepted(List.of())).orElseThrow();
        assertEquals(415, rej.code());
        assertEquals(List.of(), rej.headers());
    }
}
