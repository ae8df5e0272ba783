package sip.torture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.torture.Checks.assertNames;
import static sip.torture.Checks.assertNamesViolation;
import static sip.torture.Checks.assertStatus;
import static sip.torture.Checks.dropped;
import static sip.torture.Checks.reject;
import static sip.torture.Checks.tolerated;
import static sip.torture.Checks.valid;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.message.AbsoluteUri;
import sip.message.AuthValue;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.ContentType;
import sip.message.ExtensionHeader;
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.ParseError;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.message.Via;
import sip.message.Violation;

/** RFC 4475, all 49 messages, driven by {@code rfc4475/MANIFEST.tsv}. */
class Rfc4475Test {
    static final String SUITE = "rfc4475";

    /** What each file must do, with concrete facts. Keyed by file name; must cover the folder. */
    static final Map<String, Checks.Expect> EXPECT = new LinkedHashMap<>();

    static SipRequest req(SipMessage m) {
        return assertInstanceOf(SipRequest.class, m, "a request");
    }

    static SipResponse res(SipMessage m) {
        return assertInstanceOf(SipResponse.class, m, "a response");
    }

    static SipUri sip(Uri u) {
        return assertInstanceOf(SipUri.class, u, "a sip/sips URI: " + u);
    }

    static byte[] file(String name) {
        return Corpus.read(SUITE, name);
    }

    /** The file's bytes after the header section, {@code len} of them. */
    static byte[] bodyOf(String name, int len) {
        byte[] b = file(name);
        int start = Corpus.headerEnd(b);
        return Arrays.copyOfRange(b, start, start + len);
    }

    static void assertBody(SipMessage m, String file, int len) {
        assertEquals(len, m.bodyLength(), file + ": body length");
        assertArrayEquals(bodyOf(file, len), m.body(), file + ": body bytes");
    }

    static {
        // ---------------------------------------------------------------- 3.1.1 valid
        EXPECT.put("wsinv.dat", valid(m -> {
            SipRequest r = req(m);
            assertEquals(Method.INVITE, r.method());
            SipUri ru = sip(r.requestUri());
            assertEquals("vivekg", ru.user());
            assertEquals("chair-dnrc.example.com", ru.host());
            assertTrue(ru.parameters().has("unknownparam"));
            assertEquals(new CSeq(9, Method.INVITE), m.cseq());
            assertEquals(OptionalInt.of(68), m.maxForwards());
            assertEquals("wsinv.ndaksdj@192.0.2.1", m.callId());
            // folded lines, mixed-case long names and compact names
            NameAddress to = m.to();
            assertEquals("vivekg", sip(to.uri()).user());
            assertEquals("1918181833n", to.tag());
            NameAddress from = m.from();
            assertEquals("J Rosenberg \\\"", from.displayName(), "escaped quotes in the From display name");
            assertEquals("jdrosen", sip(from.uri()).user());
            assertEquals("98asjd8", from.tag());
            // unknown headers kept verbatim (folding becomes one SP, outer whitespace trimmed)
            String raw = Corpus.latin1(file("wsinv.dat"));
            assertTrue(raw.contains("NewFangledHeader:   newfangled value\r\n continued newfangled value\r\n"));
            assertEquals("newfangled value continued newfangled value", m.header("NewFangledHeader").orElseThrow());
            assertEquals(";;,,;;,;", m.header("UnknownHeaderWithUnusualValue").orElseThrow());
            assertEquals("", m.header(StandardHeader.SUBJECT).orElseThrow(), "empty Subject (s :)");
            List<Via> vias = m.vias();
            assertEquals(3, vias.size());
            assertEquals("SIP/2.0", vias.get(0).protocol());
            assertEquals("UDP", vias.get(0).transport());
            assertEquals("192.0.2.2", vias.get(0).host());
            assertEquals("390skdjuw", vias.get(0).branch());
            assertEquals("TCP", vias.get(1).transport());
            assertEquals("spindle.example.com", vias.get(1).host());
            assertEquals("z9hG4bK9ikj8", vias.get(1).branch());
            assertEquals("UDP", vias.get(2).transport());
            assertEquals("192.168.255.111", vias.get(2).host());
            assertEquals("z9hG4bK30239", vias.get(2).branch());
            List<Contact> contacts = m.contacts();
            assertEquals(1, contacts.size());
            NameAddress c = contacts.get(0).address();
            assertEquals("Quoted string \"\"", c.displayName());
            assertEquals("newvalue", c.parameters().value("newparam"));
            assertTrue(c.parameters().has("secondparam"));
            assertEquals(0.33, contacts.get(0).q().orElseThrow(), 1e-9);
            NameAddress route = m.first(HeaderType.ROUTE).orElseThrow();
            SipUri ru2 = sip(route.uri());
            assertEquals("services.example.com", ru2.host());
            assertTrue(ru2.isLooseRouting());
            assertEquals("value", ru2.parameter("unknownwith"));
            assertTrue(ru2.parameters().has("unknown-no-value"));
            assertTrue(m.contentType().orElseThrow().is("application", "sdp"));
            assertEquals(14, m.headers().size(), "header fields: " + m.headers());
            assertBody(m, "wsinv.dat", 150);
        }));
        EXPECT.put("intmeth.dat", valid(m -> {
            SipRequest r = req(m);
            assertEquals("!interesting-Method0123456789_*+`.%indeed'~", r.method().name());
            assertFalse(r.method().isKnown());
            assertEquals(new CSeq(139122385, r.method()), m.cseq());
            SipUri ru = sip(r.requestUri());
            assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", ru.user());
            assertEquals("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", ru.password());
            assertEquals("example.com", ru.host());
            assertEquals("z9hG4bK-.!%66*_+`'~", m.topVia().branch());
            assertEquals("BEL:\u0007 NUL:\u0000 DEL:\u007f", m.to().displayName(), "quoted-pairs of control bytes");
            assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", sip(m.to().uri()).user());
            NameAddress from = m.from();
            assertEquals("token1~` token2'+_ token3*%!.-", from.displayName());
            assertEquals("_token~1'+`*%!-.", from.tag());
            assertEquals("\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439",
                from.parameters().value("fromParam''~+*_!.-%"));
            assertEquals("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", m.callId());
            assertEquals(OptionalInt.of(255), m.maxForwards());
            String ext = Corpus.lineStartingWith(file("intmeth.dat"), "extensionHeader-");
            assertEquals(ext.substring(ext.indexOf(':') + 1),
                m.header("extensionHeader-!.%*+_`'~").orElseThrow(), "UTF-8 extension header value");
            assertEquals(0, m.bodyLength());
        }));
        EXPECT.put("esc01.dat", valid(m -> {
            SipRequest r = req(m);
            assertEquals(Method.INVITE, r.method());
            SipUri ru = sip(r.requestUri());
            assertEquals("sips:user@example.com", ru.user());
            assertEquals("example.net", ru.host());
            assertFalse(ru.secure());
            assertEquals("user", sip(m.to().uri()).user());
            assertEquals("I have spaces", sip(m.from().uri()).user());
            assertEquals("938", m.from().tag());
            assertEquals("esc01.239409asdfakjkn23onasd0-3234", m.callId(), "compact i");
            assertEquals(OptionalInt.of(87), m.maxForwards());
            assertTrue(m.contentType().orElseThrow().is("application", "sdp"), "compact C");
            SipUri c = sip(m.contacts().get(0).uri());
            assertEquals("caller", c.user());
            assertTrue(c.parameters().has("lr"), "%6C%72 unescapes to lr: " + c.parameters());
            assertTrue(c.isLooseRouting());
            // v%61lue%25%34%31: one level of unescaping gives value%41 (RFC 4475 section 3.1.1.3)
            assertEquals("value%41", c.parameter("name"), "params: " + c.parameters());
            assertBody(m, "esc01.dat", 150);
        }));
        EXPECT.put("escnull.dat", valid(m -> {
            assertEquals(Method.REGISTER, req(m).method());
            assertEquals("null-\u0000-null", sip(m.to().uri()).user());
            assertEquals("null-\u0000-null", sip(m.from().uri()).user());
            assertEquals("839923423", m.from().tag());
            List<Contact> cs = m.contacts();
            assertEquals(2, cs.size());
            assertEquals("\u0000", sip(cs.get(0).uri()).user());
            assertEquals("\u0000\u0000", sip(cs.get(1).uri()).user());
            assertEquals(0, m.bodyLength());
        }));
        EXPECT.put("esc02.dat", valid(m -> {
            SipRequest r = req(m);
            assertEquals("RE%47IST%45R", r.method().name());
            assertFalse(r.method().isKnown());
            assertNotEquals(Method.REGISTER, r.method());
            assertEquals(r.method(), m.cseq().method());
            assertEquals(29344, m.cseq().sequence());
            assertEquals("%Z%45", m.to().displayName());
            assertEquals("%Z%45", m.from().displayName());
            assertEquals("z9hG4bK209%fzsnel234", m.topVia().branch());
            List<Contact> cs = m.contacts();
            assertEquals(2, cs.size(), "C%6Fntact is not Contact");
            assertEquals("host1.example.com", sip(cs.get(0).uri()).host());
            assertEquals("host3.example.com", sip(cs.get(1).uri()).host());
            HeaderName odd = HeaderName.of("C%6Fntact");
            assertInstanceOf(ExtensionHeader.class, odd);
            assertEquals("<sip:alias2@host2.example.com>", m.header(odd).orElseThrow());
        }));
        EXPECT.put("lwsdisp.dat", valid(m -> {
            assertEquals(Method.OPTIONS, req(m).method());
            assertEquals("caller", m.from().displayName());
            assertEquals("caller", sip(m.from().uri()).user());
            assertEquals("323", m.from().tag());
        }));
        EXPECT.put("longreq.dat", valid(m -> {
            byte[] b = file("longreq.dat");
            // every header field kept at full length, in order
            List<String> raw = Corpus.rawHeaderFields(b);
            List<HeaderField> fields = m.headers();
            assertEquals(raw.size(), fields.size());
            for (int i = 0; i < raw.size(); i++) {
                String line = raw.get(i);
                String value = line.substring(line.indexOf(':') + 1).strip();
                assertEquals(value, fields.get(i).value(), "field " + i);
                assertEquals(value.length(), fields.get(i).value().length());
            }
            assertEquals(34, m.vias().size(), "Via values");
            assertEquals("sip33.example.com", m.topVia().host());
            Via last = m.vias().get(33);
            assertEquals("host.example.com", last.host());
            assertEquals("192.0.2.5", last.received());
            assertTrue(last.branch().startsWith("verylong") && last.branch().endsWith("branchvalue"));
            assertEquals(Corpus.lineStartingWith(b, "Call-ID: ").substring(9), m.callId());
            NameAddress to = m.to();
            assertEquals("I have a user name of " + "extreme".repeat(10) + " proportion", to.displayName());
            assertEquals(6000, sip(to.uri()).port());
            assertEquals("shortvalue", sip(to.uri()).parameter(
                "longparamname" + "name".repeat(24)));
            String fromLine = Corpus.lineStartingWith(b, "F: ");
            String tag = fromLine.substring(fromLine.indexOf(";tag=") + 5);
            tag = tag.substring(0, tag.indexOf(';'));
            assertEquals(tag, m.from().tag());
            assertEquals("amazinglylongcallername".repeat(5), sip(m.from().uri()).user());
            assertEquals(new CSeq(3882340, Method.INVITE), m.cseq());
            assertBody(m, "longreq.dat", 150);
        }));
        EXPECT.put("dblreq.dat", valid(m -> {
            assertEquals(Method.REGISTER, req(m).method());
            assertEquals(0, m.bodyLength(), "the trailing INVITE is not a body");
            assertEquals(0, m.body().length);
            assertEquals("dblreq.0ha0isndaksdj99sdfafnl3lk233412", m.callId());
            assertEquals(new CSeq(8, Method.REGISTER), m.cseq());
            assertFalse(m.hasHeader(StandardHeader.CONTENT_TYPE), "nothing of the INVITE leaks in");
            assertEquals(1, m.vias().size());
        }));
        EXPECT.put("semiuri.dat", valid(m -> {
            SipUri ru = sip(req(m).requestUri());
            assertEquals("user;par=u@example.net", ru.user());
            assertEquals("example.com", ru.host());
            assertTrue(ru.parameters().isEmpty(), "no URI parameters: " + ru.parameters());
            List<ContentType> accept = m.all(HeaderType.ACCEPT);
            assertEquals(6, accept.size());
            assertTrue(accept.get(5).is("message", "sipfrag"));
        }));
        EXPECT.put("transports.dat", valid(m -> {
            List<Via> vias = m.vias();
            assertEquals(List.of("UDP", "SCTP", "TLS", "UNKNOWN", "TCP"), vias.stream().map(Via::transport).toList());
            assertEquals(List.of("t1.example.com", "t2.example.com", "t3.example.com", "t4.example.com", "t5.example.com"),
                vias.stream().map(Via::host).toList());
            assertEquals("transports.kijh4akdnaqjkwendsasfdj", m.callId());
        }));
        EXPECT.put("mpart01.dat", valid(m -> {
            assertEquals(Method.MESSAGE, req(m).method());
            ContentType ct = m.contentType().orElseThrow();
            assertTrue(ct.is("multipart", "mixed"));
            assertEquals("7a9cbec02ceef655", ct.boundary());
            assertBody(m, "mpart01.dat", 553);
            byte[] b = file("mpart01.dat");
            assertEquals(b.length, Corpus.headerEnd(b) + 553, "the body runs to the end of the file");
            assertTrue(m.topVia().hasRport());
            assertEquals("binary", m.header("Content-Transfer-Encoding").orElseThrow());
        }));
        EXPECT.put("unreason.dat", valid(m -> {
            SipResponse r = res(m);
            assertEquals(200, r.statusCode());
            String line = Corpus.firstLineUtf8(file("unreason.dat"));
            String reason = line.substring("SIP/2.0 200 ".length());
            assertTrue(reason.contains("\u043f\u0440\u043e\u0441\u0442\u043e\u0435"), "UTF-8 in the file");
            assertEquals(reason, r.status().reason());
            assertBody(m, "unreason.dat", 154);
        }));
        EXPECT.put("noreason.dat", valid(m -> {
            SipResponse r = res(m);
            assertEquals(100, r.statusCode());
            assertEquals("", r.status().reason());
        }));

        // ---------------------------------------------------------------- 3.1.2 invalid
        EXPECT.put("badinv01.dat", reject(400, e -> assertNames(e, StandardHeader.VIA, StandardHeader.CONTACT)));
        EXPECT.put("clerr.dat", reject(400, e -> assertNames(e, StandardHeader.CONTENT_LENGTH)));
        EXPECT.put("ncl.dat", reject(400, e -> assertNames(e, StandardHeader.CONTENT_LENGTH)));
        EXPECT.put("scalar02.dat", reject(400, e -> assertNames(e, StandardHeader.CSEQ, StandardHeader.MAX_FORWARDS,
            StandardHeader.EXPIRES, StandardHeader.CONTACT)));
        EXPECT.put("scalarlg.dat", dropped());
        EXPECT.put("quotbal.dat", reject(400, e -> assertNames(e, StandardHeader.TO)));
        EXPECT.put("ltgtruri.dat", reject(400, Checks::assertStartLine));
        EXPECT.put("lwsruri.dat", reject(400, Checks::assertStartLine));
        EXPECT.put("lwsstart.dat", reject(400, Checks::assertStartLine));
        EXPECT.put("trws.dat", reject(400, Checks::assertStartLine));
        EXPECT.put("escruri.dat", tolerated(Violation.HEADERS_IN_REQUEST_URI, m -> {
            SipRequest r = req(m);
            assertEquals("user", sip(r.requestUri()).user());
            // the escaped header is never applied to the request
            assertFalse(m.hasHeader(StandardHeader.ROUTE), "no Route header may come from the Request-URI");
            assertTrue(m.all(HeaderType.ROUTE).isEmpty());
            assertBody(m, "escruri.dat", 150);
        }));
        EXPECT.put("baddate.dat", tolerated(Violation.INVALID_DATE, m -> {
            assertEquals("Fri, 01 Jan 2010 16:00:00 EST", m.header(StandardHeader.DATE).orElseThrow(),
                "the Date is kept as raw text");
            assertEquals(Method.INVITE, req(m).method());
        }));
        EXPECT.put("regbadct.dat", tolerated(Violation.UNBRACKETED_URI_HEADERS, m -> {
            List<Contact> cs = m.contacts();
            assertEquals(1, cs.size());
            SipUri c = sip(cs.get(0).uri());
            assertEquals("user", c.user());
            assertEquals("example.com", c.host());
            assertEquals("<sip:sip.example.com>", c.headers().value("Route"), "brackets inferred");
            assertFalse(m.hasHeader(StandardHeader.ROUTE), "the escaped header is never applied as a Route");
            assertTrue(m.all(HeaderType.ROUTE).isEmpty());
        }));
        EXPECT.put("badaspec.dat", tolerated(Violation.SPACES_IN_ADDR_SPEC, m -> {
            NameAddress to = m.to();
            assertEquals("Watson, Thomas", to.displayName());
            SipUri u = sip(to.uri());
            assertEquals("t.watson", u.user());
            assertEquals("example.org", u.host(), "spaces trimmed");
            assertEquals(SipUri.parse("sip:t.watson@example.org"), u);
        }));
        // The archived baddn.dat also lacks the empty line that ends the header section.
        EXPECT.put("baddn.dat", tolerated(Set.of(Violation.UNQUOTED_DISPLAY_NAME, Violation.MISSING_EMPTY_LINE), m -> {
            assertEquals("Bell, Alexander", m.from().displayName());
            assertEquals("43", m.from().tag());
            assertEquals("Watson, Thomas", m.to().displayName());
            assertEquals("t.watson", sip(m.to().uri()).user());
        }));
        EXPECT.put("badvers.dat", reject(505, Checks::assertStartLine));
        EXPECT.put("mismatch01.dat", reject(400, e -> assertNames(e, StandardHeader.CSEQ)));
        EXPECT.put("mismatch02.dat", reject(400, e -> assertNames(e, StandardHeader.CSEQ)));
        EXPECT.put("bigcode.dat", dropped());

        // ---------------------------------------------------------------- 3.2 transaction
        EXPECT.put("badbranch.dat", valid(m -> {
            Via v = m.topVia();
            assertEquals("z9hG4bK", v.branch());
            assertFalse(v.hasRfc3261Branch(), "the bare magic cookie is not an RFC 3261 branch");
        }));

        // ---------------------------------------------------------------- 3.3 application
        EXPECT.put("insuf.dat", reject(400, e -> assertNames(e, StandardHeader.CALL_ID, StandardHeader.FROM,
            StandardHeader.TO, StandardHeader.MAX_FORWARDS)));
        // unkscm/novelsc: the 416 is the router's answer (a UAS that cannot handle the scheme);
        // the parser's part is to deliver the Request-URI as an opaque AbsoluteUri.
        EXPECT.put("unkscm.dat", valid(m -> {
            AbsoluteUri u = assertInstanceOf(AbsoluteUri.class, req(m).requestUri());
            assertEquals("nobodyKnowsThisScheme", u.scheme());
            assertEquals("totallyopaquecontent", u.schemeSpecificPart());
        }));
        EXPECT.put("novelsc.dat", valid(m -> {
            AbsoluteUri u = assertInstanceOf(AbsoluteUri.class, req(m).requestUri());
            assertEquals("soap.beep", u.scheme());
            assertEquals("//192.0.2.103:3002", u.schemeSpecificPart());
        }));
        EXPECT.put("unksm2.dat", valid(m -> {
            assertEquals(new AbsoluteUri("isbn", "2983792873"), assertInstanceOf(AbsoluteUri.class, m.to().uri()));
            AbsoluteUri from = assertInstanceOf(AbsoluteUri.class, m.from().uri());
            assertEquals("http", from.scheme());
            assertEquals("//www.example.com", from.schemeSpecificPart());
            assertEquals("3234233", m.from().tag());
            AbsoluteUri c = assertInstanceOf(AbsoluteUri.class, m.contacts().get(0).uri());
            assertEquals("name", c.scheme());
            assertEquals("John_Smith", c.schemeSpecificPart());
        }));
        // bext01: the 420 with Unsupported is the UAS's answer; the parser delivers the option tags.
        EXPECT.put("bext01.dat", valid(m -> {
            assertEquals(List.of("nothingSupportsThis", "nothingSupportsThisEither"), m.all(HeaderType.REQUIRE));
            assertEquals(List.of("noProxiesSupportThis", "norDoAnyProxiesSupportThis"), m.all(HeaderType.PROXY_REQUIRE));
            assertEquals("TLS", m.topVia().transport());
        }));
        EXPECT.put("invut.dat", valid(m -> {
            ContentType ct = m.contentType().orElseThrow();
            assertEquals("application/unknownformat", ct.mediaType());
            assertBody(m, "invut.dat", 40);
        }));
        EXPECT.put("regaut01.dat", valid(m -> {
            AuthValue a = m.first(HeaderType.AUTHORIZATION).orElseThrow();
            assertEquals("NoOneKnowsThisScheme", a.scheme());
            assertFalse(a.isDigest());
            assertEquals("here", a.parameter("opaque-data"));
        }));
        EXPECT.put("multi01.dat", reject(400, e -> assertNames(e, StandardHeader.TO, StandardHeader.FROM,
            StandardHeader.CALL_ID, StandardHeader.CSEQ, StandardHeader.MAX_FORWARDS)));
        EXPECT.put("mcl01.dat", reject(400, e -> assertNames(e, StandardHeader.CONTENT_LENGTH)));
        EXPECT.put("bcast.dat", valid(m -> {
            assertEquals(200, res(m).statusCode());
            // the broadcast sent-by is in the second Via: the one a proxy would forward to
            assertEquals(2, m.vias().size());
            assertEquals("192.0.2.198", m.topVia().host());
            assertEquals("255.255.255.255", m.vias().get(1).host());
            assertEquals("z9hG4bK1saber23", m.vias().get(1).branch());
        }));
        EXPECT.put("zeromf.dat", valid(m -> {
            assertEquals(Method.OPTIONS, req(m).method());
            assertEquals(OptionalInt.of(0), m.maxForwards());
        }));
        EXPECT.put("cparam01.dat", valid(m -> {
            Contact c = m.contacts().get(0);
            SipUri u = sip(c.uri());
            assertEquals("+19725552222", u.user());
            assertEquals("gw1.example.net", u.host());
            assertFalse(u.parameters().has("unknownparam"), "not a URI parameter in a bare addr-spec");
            assertTrue(c.address().parameters().has("unknownparam"), "a contact parameter");
        }));
        EXPECT.put("cparam02.dat", valid(m -> {
            Contact c = m.contacts().get(0);
            SipUri u = sip(c.uri());
            assertEquals("+19725552222", u.user());
            assertTrue(u.parameters().has("unknownparam"), "a URI parameter inside <>");
            assertFalse(c.address().parameters().has("unknownparam"));
        }));
        EXPECT.put("regescrt.dat", valid(m -> {
            List<Contact> cs = m.contacts();
            assertEquals(1, cs.size());
            SipUri u = sip(cs.get(0).uri());
            assertEquals("user", u.user());
            assertEquals("<sip:sip.example.com>", u.headers().value("Route"));
            assertFalse(m.hasHeader(StandardHeader.ROUTE));
            assertEquals(0, m.bodyLength());
        }));
        EXPECT.put("sdp01.dat", valid(m -> {
            List<ContentType> accept = m.all(HeaderType.ACCEPT);
            assertEquals(1, accept.size());
            assertTrue(accept.get(0).is("text", "nobodyKnowsThis"));
            assertTrue(m.contentType().orElseThrow().is("application", "sdp"));
        }));

        // ---------------------------------------------------------------- 3.4 compat
        EXPECT.put("inv2543.dat", valid(m -> {
            Via v = m.topVia();
            assertNull(v.branch());
            assertFalse(v.hasRfc3261Branch());
            assertNull(m.from().tag());
            assertNull(m.to().tag());
            // bare addr-spec: ";user=phone" is a header parameter of To (RFC 3261 section 20),
            // while From has it inside <> as a URI parameter
            assertEquals("phone", m.to().parameters().value("user"));
            assertNull(sip(m.to().uri()).parameter("user"));
            assertEquals("phone", sip(m.from().uri()).parameter("user"));
            assertTrue(m.maxForwards().isEmpty());
            assertEquals("ss1.example.com", sip(m.first(HeaderType.RECORD_ROUTE).orElseThrow().uri()).parameter("maddr"));
            // no Content-Length: the body runs to the end of the datagram
            byte[] b = file("inv2543.dat");
            assertBody(m, "inv2543.dat", b.length - Corpus.headerEnd(b));
        }));
    }

    static Stream<Corpus.Entry> manifest() {
        return Corpus.rfc4475();
    }

    @Test
    void manifestFolderAndExpectationsAgree() {
        Corpus.assertComplete(SUITE, EXPECT.keySet(), 49);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifest")
    void file(Corpus.Entry entry) throws Exception {
        run(entry, EXPECT);
    }

    /** Runs one file against its expectation (shared with the RFC 5118 suite). */
    static void run(Corpus.Entry entry, Map<String, Checks.Expect> expectations) throws Exception {
        Checks.Expect exp = expectations.get(entry.file());
        assertNotNull(exp, "no expectation for " + entry.file());
        Checks.assertKindFitsClass(entry.kind(), exp, entry.file());
        byte[] bytes = entry.bytes();
        String what = entry.toString();
        switch (exp) {
            case Checks.Accept a -> {
                SipMessage m = Checks.parsed(SipParser.lenient().parse(bytes), what + " lenient");
                assertEquals(java.util.Optional.empty(), m.validate(), what + ": validate()");
                assertTrue(m.violations().containsAll(a.tolerated()),
                    what + ": violations " + m.violations() + " should contain " + a.tolerated());
                assertEquals("SIP/2.0", m.version());
                a.facts().check(m);
                if (!a.tolerated().isEmpty()) {
                    ParseError e = Checks.malformed(SipParser.strict().parse(bytes), what + " strict");
                    assertStatus(400, e, what + " strict");
                    assertNamesViolation(e, a.tolerated());
                }
            }
            case Checks.Reject r -> {
                for (SipParser p : List.of(SipParser.lenient(), SipParser.strict())) {
                    ParseError e = Checks.malformed(p.parse(bytes), what + " " + p.compliance());
                    if (r.status() != 0) {
                        assertStatus(r.status(), e, what + " " + p.compliance());
                    }
                    r.about().accept(e);
                }
            }
        }
    }
}
