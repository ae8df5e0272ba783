package sip.torture.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.torture.wire.PlainUas.Handler.DEFAULT;
import static sip.torture.wire.PlainUas.Handler.INVITE;
import static sip.torture.wire.PlainUas.Handler.NONE;
import static sip.torture.wire.PlainUas.Handler.REGISTER;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sip.message.StandardHeader;
import sip.torture.wire.PlainUas.Handler;
import sip.torture.wire.WireExpectation.Answer;
import sip.torture.wire.WireExpectation.Check;
import sip.torture.wire.WireExpectation.Counter;
import sip.torture.wire.WireExpectation.Silence;

/**
 * What each of the 49 RFC 4475 files must get from a plain UAS over the wire, from the
 * "expected" column of MANIFEST.tsv: one entry per file, checked against the manifest and the
 * folder by {@code Rfc4475WireTest}.
 *
 * <p>Rules behind the table: an invalid request gets 400 (505 for the wrong SIP version; RFC 3261
 * §8.2, §21.5.6); where the manifest allows strict 400 or liberal acceptance, Parley's default
 * parser is lenient, so acceptance is asserted together with proof that nothing escaped was
 * applied; a response (valid or not) matches no client transaction of a UAS and is dropped
 * without a sound (§18.1.2 and §17.1.3: a response matching no transaction goes to the core,
 * which for a UA drops it); a valid request is answered by its method's handler, OPTIONS (which
 * has none here) by the default handler, as {@code Server.onDefault} says.
 */
final class Rfc4475WireExpectations {
    private Rfc4475WireExpectations() {}

    static final Map<String, WireExpectation> TABLE = new LinkedHashMap<>();

    private static void put(String file, String kind, WireExpectation.Outcome outcome, String why) {
        if (TABLE.put(file, new WireExpectation(kind, outcome, why)) != null) {
            throw new IllegalStateException("two expectations for " + file);
        }
    }

    private static Answer answer(int status, Handler handler) {
        return new Answer(status, handler, Check.NONE);
    }

    private static Answer answer(int status, Handler handler, Check more) {
        return new Answer(status, handler, more);
    }

    private static Silence dropped(Counter counter) {
        return new Silence(counter);
    }

    static {
        // 3.1.1 valid messages
        put("wsinv.dat", "valid", answer(200, INVITE, r -> {
            // §8.2.6.2: a request that has a To tag gets a response whose To equals the request's.
            assertEquals("1918181833n", r.response().toTag().orElse(null), "To tag of the response");
        }), "Parses; an INVITE reaches onInvite. Its To tag makes it look mid-dialog: a UAS with dialogs"
                + " would answer 481 (§12.2.2), but sip.router has no dialog layer yet, so the handler answers");
        put("intmeth.dat", "valid", answer(200, DEFAULT, r -> {
            assertEquals("!interesting-Method0123456789_*+`.%indeed'~", r.handled().method().name());
            assertTrue(r.response().first("cseq").orElseThrow().endsWith("!interesting-Method0123456789_*+`.%indeed'~"),
                    "CSeq method echoed: " + r.response().first("cseq"));
        }), "Parses; an unknown method goes to the default handler");
        put("esc01.dat", "valid", answer(200, INVITE), "Parses; an INVITE reaches onInvite");
        put("escnull.dat", "valid", answer(200, REGISTER), "Parses; a REGISTER reaches onRegister");
        put("esc02.dat", "valid", answer(200, DEFAULT, r -> {
            assertEquals("RE%47IST%45R", r.handled().method().name(), "the escaped method is not REGISTER");
        }), "\"RE%47IST%45R\" is an unknown method, not REGISTER: default handler");
        put("lwsdisp.dat", "valid", answer(200, DEFAULT), "Parses; OPTIONS reaches the default handler");
        put("longreq.dat", "valid", answer(200, INVITE, r -> {
            // §8.2.6.2: every Via of the request, in order, nothing truncated; the top one with the
            // received the server added on arrival (§18.2.1: sent-by names a host, not 127.0.0.1).
            List<String> sent = r.request().listValues("via");
            List<String> back = r.response().listValues("via");
            assertEquals(sent.getFirst() + ";received=127.0.0.1", back.getFirst(), "top Via");
            assertEquals(sent.subList(1, sent.size()), back.subList(1, back.size()), "the other Via values");
        }), "Parses (long values, many Vias); an INVITE reaches onInvite");
        put("dblreq.dat", "valid", answer(200, REGISTER),
                "One REGISTER; the INVITE after its Content-Length is ignored (one handler call only)");
        put("semiuri.dat", "valid", answer(200, DEFAULT), "Parses; OPTIONS reaches the default handler");
        put("transports.dat", "valid", answer(200, DEFAULT, r -> {
            List<String> transports = r.response().listValues("via").stream()
                    .map(v -> RawMessage.sentBy(v).orElseThrow().transport()).toList();
            assertEquals(List.of("UDP", "SCTP", "TLS", "UNKNOWN", "TCP"), transports, "Via transports kept");
        }), "Parses; all five Via values kept in the response");
        put("mpart01.dat", "valid", answer(200, DEFAULT, r -> {
            assertEquals(553, r.request().body().length, "the file's body is its Content-Length");
            assertArrayEquals(r.request().body(), r.handled().body(), "binary body, byte-exact");
        }), "Parses; MESSAGE with a multipart/mixed body (accepted by this server) reaches the default handler");
        put("unreason.dat", "valid", dropped(Counter.STRAY_RESPONSES), "A 200 response matching no client transaction: dropped");
        put("noreason.dat", "valid", dropped(Counter.STRAY_RESPONSES), "A 100 response matching no client transaction: dropped");

        // 3.1.2 invalid messages
        put("badinv01.dat", "invalid", answer(400, NONE), "Empty Via/Contact parameters: 400");
        // Over UDP the manifest allows "400 (or discard)": RFC 3261 §18.3 says a request whose
        // datagram ends before Content-Length SHOULD get 400, and Parley answers it.
        put("clerr.dat", "invalid", answer(400, NONE), "Content-Length beyond the datagram: 400 (§18.3)");
        put("ncl.dat", "invalid", answer(400, NONE), "Negative Content-Length: 400");
        put("scalar02.dat", "invalid", answer(400, NONE), "Overflowing CSeq, Max-Forwards, Expires: 400");
        put("scalarlg.dat", "invalid", dropped(Counter.MALFORMED_DROPPED), "A response with overflowing numbers: dropped as malformed");
        put("quotbal.dat", "invalid", answer(400, NONE), "Unterminated quoted string: 400");
        put("ltgtruri.dat", "invalid", answer(400, NONE), "Request-URI in <>: 400");
        put("lwsruri.dat", "invalid", answer(400, NONE), "Whitespace in the Request-URI: 400");
        put("lwsstart.dat", "invalid", answer(400, NONE), "Several SP in the Request-Line: 400");
        put("trws.dat", "invalid", answer(400, NONE), "Trailing SP after SIP/2.0: 400");
        put("escruri.dat", "invalid", answer(200, INVITE, r -> {
            assertFalse(r.handled().hasHeader(StandardHeader.ROUTE), "escaped ?Route= applied as a Route header");
        }), "Liberal: accepted, the escaped Route in the Request-URI never applied");
        put("baddate.dat", "invalid", answer(200, INVITE, r -> {
            assertEquals("Fri, 01 Jan 2010 16:00:00 EST", r.handled().header(StandardHeader.DATE).orElse(null),
                    "the Date kept as raw text");
        }), "Liberal: accepted, the non-GMT Date kept as raw text");
        put("regbadct.dat", "invalid", answer(200, REGISTER, r -> {
            assertFalse(r.handled().hasHeader(StandardHeader.ROUTE), "escaped ?Route= applied as a Route header");
        }), "Liberal: brackets inferred, the escaped Route never applied");
        put("badaspec.dat", "invalid", answer(200, DEFAULT), "Liberal: spaces in the To addr-spec trimmed; OPTIONS reaches the default handler");
        put("baddn.dat", "invalid", answer(200, DEFAULT),
                "Liberal: unquoted display name with commas accepted (the archived file also lacks the final empty line)");
        put("badvers.dat", "invalid", answer(505, NONE), "SIP/7.0: 505 Version Not Supported (§21.5.6)");
        put("mismatch01.dat", "invalid", answer(400, NONE), "CSeq method INVITE on an OPTIONS: 400 (the methods must match, §8.1.1.5)");
        put("mismatch02.dat", "invalid", answer(400, NONE), "CSeq method INVITE on NEWMETHOD: 400");
        put("bigcode.dat", "invalid", dropped(Counter.MALFORMED_DROPPED), "Status 4294967301: dropped as malformed");

        // 3.2 transaction layer
        put("badbranch.dat", "transaction", answer(200, DEFAULT),
                "Branch is only the magic cookie: matched the RFC 2543 way, answered normally");

        // 3.3 application layer
        put("insuf.dat", "application", answer(400, NONE), "Missing Call-ID, From, To, Max-Forwards: 400");
        put("unkscm.dat", "application", answer(416, NONE), "Request-URI scheme nobodyKnowsThisScheme: 416 (§8.2.2.1)");
        put("novelsc.dat", "application", answer(416, NONE), "Request-URI scheme soap.beep: 416 (§8.2.2.1)");
        put("unksm2.dat", "application", answer(200, REGISTER), "Unknown schemes in To/From/Contact are valid: processed normally");
        put("bext01.dat", "application", answer(420, NONE, r -> {
            List<String> unsupported = r.response().listValues("unsupported");
            assertTrue(unsupported.containsAll(List.of("nothingSupportsThis", "nothingSupportsThisEither")),
                    "Unsupported lists the Require tags: " + unsupported);
        }), "Require names unknown extensions: 420 with Unsupported (§8.2.2.3)");
        put("invut.dat", "application", answer(415, NONE, r -> {
            List<String> accept = r.response().listValues("accept").stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
            assertTrue(accept.contains("application/sdp"), "Accept lists what the server takes: " + accept);
        }), "Body of an unknown type: 415 with Accept (§8.2.3)");
        put("regaut01.dat", "application", answer(401, REGISTER, r -> {
            assertTrue(r.response().first("www-authenticate").orElse("").startsWith("Digest "),
                    "a Digest challenge: " + r.response().first("www-authenticate"));
        }), "Unknown Authorization scheme: the registrar challenges (401), no bypass");
        put("multi01.dat", "application", answer(400, NONE), "Several values in single-value headers: 400");
        put("mcl01.dat", "application", answer(400, NONE), "Two Content-Length values: 400");
        put("bcast.dat", "application", dropped(Counter.STRAY_RESPONSES),
                "A 200 with a broadcast Via: dropped, never sent anywhere (transport errors unchanged)");
        put("zeromf.dat", "application", answer(200, DEFAULT),
                "Max-Forwards 0 to a UAS: the OPTIONS is answered, by the default handler (483 is a proxy's answer, §16.3)");
        put("cparam01.dat", "application", answer(200, REGISTER), "Valid: processed normally");
        put("cparam02.dat", "application", answer(200, REGISTER), "Valid: processed normally");
        put("regescrt.dat", "application", answer(200, REGISTER, r -> {
            String contact = r.response().first("contact").orElse("");
            assertTrue(contact.toLowerCase(Locale.ROOT).contains("?route=%3csip:sip.example.com%3e>"),
                    "the escaped Route kept inside the returned Contact URI: " + contact);
        }), "Valid: the Contact's escaped Route header kept and returned intact");
        put("sdp01.dat", "application", answer(406, NONE), "Accept allows nothing this server sends: 406 (§21.4.7)");

        // 3.4 backward compatibility
        put("inv2543.dat", "compat", answer(200, INVITE, r -> {
            assertTrue(r.response().toTag().isPresent(), "the UAS adds a To tag (§8.2.6.2)");
        }), "RFC 2543 syntax (no cookie, no tags, no Max-Forwards): accepted and answered");
    }
}
