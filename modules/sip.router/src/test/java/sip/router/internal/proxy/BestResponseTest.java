package sip.router.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Via;

/** The best-response table of RFC 3261 §16.7 item 6, and the challenge merge of item 7. */
class BestResponseTest {

    private static final SipRequest INVITE = SipRequest.builder(Method.INVITE, SipUri.parse("sip:bob@example.com"))
            .from(NameAddress.of(SipUri.parse("sip:alice@example.com")).withTag("a"))
            .to(NameAddress.of(SipUri.parse("sip:bob@example.com")))
            .callId("best-1").cseq(1)
            .via(Via.of("UDP", "10.0.0.1", 5060, "z9hG4bK-best"))
            .build();

    private static SipResponse r(int code) {
        return SipResponse.builder(INVITE, code).build();
    }

    /** Codes in arrival order, then the code that must win. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'486 603', 603",
            "'603 486', 603",
            "'500 404', 404",
            "'404 500', 404",
            "'302 404', 302",
            "'486 401', 401",
            "'404 407 484', 407",
            "'480 486', 480",
            "'503 408', 408",
            "'503', 503",
            "'600 603', 600",
    })
    void pick(String codes, int winner) {
        List<SipResponse> finals = Arrays.stream(codes.split(" ")).map(c -> r(Integer.parseInt(c))).toList();
        assertEquals(winner, finals.get(BestResponse.pick(finals)).statusCode());
    }

    @Test
    void nothingToPickFrom() {
        assertThrows(IllegalArgumentException.class, () -> BestResponse.pick(List.of()));
    }

    @Test
    void everyChallengeEndsUpInTheChosenOne() {
        SipResponse www = r(401).toBuilder().addHeader(StandardHeader.WWW_AUTHENTICATE, "Digest realm=\"a\"").build();
        SipResponse proxy = r(407).toBuilder().addHeader(StandardHeader.PROXY_AUTHENTICATE, "Digest realm=\"b\"")
                .addHeader(StandardHeader.PROXY_AUTHENTICATE, "Digest realm=\"c\"").build();
        SipResponse busy = r(486);
        SipResponse merged = BestResponse.withAllChallenges(www, List.of(www, busy, proxy));
        assertEquals(List.of("Digest realm=\"a\""), merged.headerValues(StandardHeader.WWW_AUTHENTICATE));
        assertEquals(List.of("Digest realm=\"b\"", "Digest realm=\"c\""),
                merged.headerValues(StandardHeader.PROXY_AUTHENTICATE));
        assertSame(busy, BestResponse.withAllChallenges(busy, List.of(www, busy, proxy)), "only 401/407 are merged into");
    }
}
