package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.message.HeaderAssertions.one;
import static sip.message.HeaderAssertions.rejects;
import static sip.message.HeaderAssertions.roundTrips;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameAddressTest {
    private static final HeaderType<NameAddress> FROM = HeaderType.FROM;
    private static final HeaderType<NameAddress> TO = HeaderType.TO;
    private static final HeaderType<NameAddress> ROUTE = HeaderType.ROUTE;

    private static SipUri sip(NameAddress a) {
        return assertInstanceOf(SipUri.class, a.uri());
    }

    @Test
    void quotedDisplayNameAndTag() {
        NameAddress a = one(FROM, "\"Bob\" <sips:bob@biloxi.com>;tag=a48s");
        assertEquals("Bob", a.displayName());
        assertEquals("bob", sip(a).user());
        assertTrue(sip(a).secure());
        assertEquals("a48s", a.tag());
    }

    @Test
    void bracketedWithoutDisplayName() {
        NameAddress a = one(TO, "<sip:user@example.com>");
        assertNull(a.displayName());
        assertEquals("example.com", sip(a).host());
        assertTrue(a.parameters().isEmpty());
    }

    @Test
    void quotedDisplayNameUnescaped() {
        // RFC 4475 wsinv: "J Rosenberg \\\"" is J Rosenberg \"
        NameAddress a = one(FROM, "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8");
        assertEquals("J Rosenberg \\\"", a.displayName());
        assertEquals("98asjd8", a.tag());
    }

    @Test
    void quotedDisplayNameWithUtf8AndControlQuotedPairs() {
        // RFC 4475 intmeth
        NameAddress a = one(TO, "\"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007F\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>");
        assertEquals("BEL:\u0007 NUL:\u0000 DEL:\u007F", a.displayName());
        assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", sip(a).user());
        assertEquals("Дмитрий", one(FROM, "\"Дмитрий\" <sip:d@example.com>").displayName());
    }

    @Test
    void tokenDisplayNameKeptWithSingleSpaces() {
        // RFC 4475 intmeth From
        NameAddress a = one(FROM, "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;"
            + "fromParam''~+*_!.-%=\"\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439\";tag=_token~1'+`*%!-.");
        assertEquals("token1~` token2'+_ token3*%!.-", a.displayName());
        assertEquals("работающий", a.parameters().value("fromParam''~+*_!.-%"));
        assertEquals("_token~1'+`*%!-.", a.tag());
        assertEquals("A B", one(FROM, "A \t\r\n  B <sip:x@y>").displayName());
    }

    @Test
    void noSpaceBeforeAngleBracket() {
        // RFC 4475 lwsdisp
        NameAddress a = one(FROM, "caller<sip:caller@example.com>;tag=323");
        assertEquals("caller", a.displayName());
        assertEquals("323", a.tag());
        assertEquals("Bob", one(FROM, "\"Bob\"<sip:b@example.com>").displayName());
    }

    @Test
    void bareAddrSpecParametersBelongToTheHeader() {
        // RFC 3261 §20.10; RFC 4475 wsinv To: LWS before ';' and around '='
        NameAddress a = one(TO, "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n");
        assertEquals("1918181833n", a.tag());
        assertTrue(sip(a).parameters().isEmpty());
        NameAddress b = one(FROM, "sip:caller@example.net;tag=134161461246");
        assertEquals("134161461246", b.tag());
        assertNull(b.displayName());
    }

    @Test
    void unknownSchemesAreValid() {
        // RFC 4475 unksm2
        NameAddress to = one(TO, "isbn:2983792873");
        assertEquals(new AbsoluteUri("isbn", "2983792873"), to.uri());
        NameAddress from = one(FROM, "<http://www.example.com>;tag=3234233");
        assertEquals("http", from.uri().scheme());
        assertEquals("3234233", from.tag());
        NameAddress tel = one(TO, "<tel:+1-201-555-0123>");
        assertInstanceOf(TelUri.class, tel.uri());
    }

    @Test
    void quotbalUnterminatedQuote() {
        // RFC 4475 §3.1.2.6
        rejects(TO, "\"Mr. J. User <sip:j.user@example.com>", "unterminated quoted string");
    }

    @Test
    void unquotedNonTokenDisplayNameToleratedLeniently() {
        // RFC 4475 baddn; strict rejection in internal.HeaderComplianceTest
        NameAddress a = one(FROM, "Bell, Alexander <sip:a.g.bell@example.com>;tag=43");
        assertEquals("Bell, Alexander", a.displayName());
        assertEquals("43", a.tag());
        assertEquals("A. Bell", one(FROM, "A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe").displayName());
    }

    @Test
    void spacesInsideBracketsTrimmedLeniently() {
        // RFC 4475 badaspec
        NameAddress a = one(TO, "\"Watson, Thomas\" < sip:t.watson@example.org >");
        assertEquals("Watson, Thomas", a.displayName());
        assertEquals("t.watson", sip(a).user());
        assertEquals("example.org", sip(a).host());
    }

    @Test
    void bracketedUriParametersStayInTheUri() {
        NameAddress a = one(ROUTE, "<sip:services.example.com;lr;unknownwith=value;unknown-no-value>");
        assertTrue(sip(a).isLooseRouting());
        assertEquals("value", sip(a).parameter("unknownwith"));
        assertTrue(a.parameters().isEmpty());
    }

    @Test
    void routeList() {
        List<NameAddress> r = ROUTE.parse("<sip:p1.example.com;lr>, <sip:p2.example.com;lr>,sip:p3.example.com ,\r\n <sip:p4.example.com>");
        assertEquals(4, r.size());
        assertEquals("p3.example.com", sip(r.get(2)).host());
        assertEquals("p4.example.com", sip(r.get(3)).host());
        List<NameAddress> named = ROUTE.parse("Alice <sip:a@example.com>, \"Bob, Jr\" <sip:b@example.com>;x=1");
        assertEquals("Bob, Jr", named.get(1).displayName());
        assertEquals("1", named.get(1).parameters().value("x"));
    }

    @Test
    void headerParameterForms() {
        NameAddress a = one(TO, "<sip:a@example.com>;tag=x;flag;q=\"quoted;v\";ip=[2001:db8::1]");
        assertEquals("x", a.tag());
        assertTrue(a.parameters().has("flag"));
        assertNull(a.parameters().value("flag"));
        assertEquals("quoted;v", a.parameters().value("q"));
        assertEquals("[2001:db8::1]", a.parameters().value("ip"));
    }

    @Test
    void malformed() {
        rejects(TO, "<sip:a@example.com>;;tag=1", "parameter name");
        rejects(TO, "<sip:a@example.com>;tag=", "empty value");
        rejects(TO, "<sip:a@example.com", "missing '>'");
        rejects(TO, "<>", "empty URI");
        rejects(TO, "Bob", "'<'");
        rejects(TO, "user@example.com", "'<'");
        rejects(TO, "\"Bob\" sip:b@example.com", "'<'");
        rejects(TO, "<sip:a@example.com> junk", "unexpected");
        rejects(FROM, "<sip:a@example.com>, <sip:b@example.com>", "unexpected");
        rejects(ROUTE, "<sip:a@example.com>,", "empty value");
        rejects(TO, "\"Bob\\", "unterminated");
    }

    @Test
    void roundTrip() {
        for (String s : new String[] {
            "\"Bob\" <sips:bob@biloxi.com>;tag=a48s",
            "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n",
            "\"J Rosenberg \\\\\\\"\" <sip:jdrosen@example.com>;tag=98asjd8",
            "\"BEL:\\\u0007 NUL:\\\u0000\" <sip:x@example.com>",
            "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
            "isbn:2983792873",
            "<sip:a@example.com>;tag=x;flag;q=\"quoted;v \\\"x\\\"\"",
            "\"\" <sip:empty@example.com>",
        }) {
            roundTrips(TO, one(TO, s));
        }
        roundTrips(FROM, NameAddress.of("Alice \"A\" Liddell", SipUri.of("alice", "example.com", 5060)).withTag("1x"));
    }

    @Test
    void bareFormWritesBrackets() {
        assertEquals("<sip:caller@example.net>;tag=1", one(FROM, "sip:caller@example.net;tag=1").toString());
        assertEquals("\"Bell, Alexander\" <sip:a.g.bell@example.com>",
            one(FROM, "Bell, Alexander <sip:a.g.bell@example.com>").toString());
        assertEquals("\"x\\\u0007\" <sip:h>", NameAddress.of("x\u0007", SipUri.of("h")).toString());
    }
}
