package sip.message.internal;

import java.nio.charset.StandardCharsets;
import sip.message.NameAddress;
import sip.message.Parameters;
import sip.message.Uri;
import sip.message.Violation;

/**
 * {@code ( name-addr / addr-spec ) *( SEMI param )} (RFC 3261 §20.10, §25.1): the value of
 * From, To, Contact, Route and the other address headers.
 */
final class NameAddressParser {
    private NameAddressParser() {}

    static NameAddress parse(ValueReader in, ParseContext ctx, int paramKind) {
        byte[] b = in.buffer();
        int start = in.position();
        int c = in.peek();
        String display = null;
        if (c == '"') {
            display = in.quotedString();
            in.skipLws();
            if (in.peek() != '<') {
                throw new ParseFailure("expected '<' after the quoted display name" + in.found(), in.position());
            }
        } else if (c != '<') {
            if (looksLikeUri(in)) {
                return addrSpec(in, ctx, paramKind, start);
            }
            display = unquotedDisplayName(in, ctx);
        }
        Uri uri = bracketedUri(in, ctx);
        Parameters params = ParamsReader.read(in, ctx, paramKind);
        return new NameAddress(display, uri, params);
    }

    /** True when the cursor is at {@code scheme ":"}, which no display name can start with. */
    private static boolean looksLikeUri(ValueReader in) {
        if (!Grammar.is(in.peek(), Grammar.ALPHA)) {
            return false;
        }
        int k = 1;
        while (Grammar.is(in.peek(k), Grammar.SCHEME)) {
            k++;
        }
        return in.peek(k) == ':';
    }

    /**
     * A bare addr-spec ends at the first ';' (what follows is header parameters, RFC 3261
     * §20.10; RFC 4475 cparam01), ',' or whitespace.
     */
    private static NameAddress addrSpec(ValueReader in, ParseContext ctx, int paramKind, int start) {
        byte[] b = in.buffer();
        int end = in.end();
        int i = start;
        int question = -1;
        while (i < end) {
            byte x = b[i];
            if (x == ';' || x == ',' || x == ' ' || x == '\t' || x == '\r' || x == '\n') {
                break;
            }
            if (x == '?' && question < 0) {
                question = i;
            }
            i++;
        }
        if (question >= 0) {
            ctx.tolerate(Violation.UNBRACKETED_URI_HEADERS, in.utf8(start, i), question);
        }
        Uri uri = UriParser.parse(b, start, i, ctx);
        in.position(i);
        Parameters params = ParamsReader.read(in, ctx, paramKind);
        return new NameAddress(null, uri, params);
    }

    /**
     * {@code *(token LWS)} before '<', kept with single spaces. Anything else up to the '<' (RFC
     * 4475 baddn's "Bell, Alexander") is a tolerated violation.
     */
    private static String unquotedDisplayName(ValueReader in, ParseContext ctx) {
        byte[] b = in.buffer();
        int start = in.position();
        int end = in.end();
        int i = start;
        boolean tokensOnly = true;
        boolean lws = false;
        while (i < end && b[i] != '<' && b[i] != '"') {
            byte x = b[i];
            if (x == ' ' || x == '\t' || x == '\r' || x == '\n') {
                lws = true;
            } else if (!Grammar.is(x, Grammar.TOKEN)) {
                tokensOnly = false;
            }
            i++;
        }
        if (i == end || b[i] != '<') {
            in.position(i);
            throw new ParseFailure("expected a URI or a display name followed by '<'" + in.found(), i);
        }
        int e = i;
        while (e > start && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r' || b[e - 1] == '\n')) {
            e--;
        }
        if (!tokensOnly) {
            ctx.tolerate(Violation.UNQUOTED_DISPLAY_NAME, in.utf8(start, e), start);
        }
        in.position(i);
        boolean innerLws = false;
        if (lws) {
            for (int k = start; k < e; k++) {
                byte x = b[k];
                if (x == ' ' || x == '\t' || x == '\r' || x == '\n') {
                    innerLws = true;
                    break;
                }
            }
        }
        if (!innerLws) {
            return tokensOnly ? in.ascii(start, e) : in.utf8(start, e);
        }
        byte[] out = new byte[e - start];
        int n = 0;
        boolean space = false;
        for (int k = start; k < e; k++) {
            byte x = b[k];
            if (x == ' ' || x == '\t' || x == '\r' || x == '\n') {
                space = true;
            } else {
                if (space) {
                    out[n++] = ' ';
                    space = false;
                }
                out[n++] = x;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code "<" addr-spec ">"} at the cursor; whitespace inside the brackets is tolerated. */
    private static Uri bracketedUri(ValueReader in, ParseContext ctx) {
        byte[] b = in.buffer();
        int open = in.position();
        in.expect('<');
        boolean leading = in.skipLws();
        int s = in.position();
        int end = in.end();
        int i = s;
        while (i < end && b[i] != '>') {
            i++;
        }
        if (i == end) {
            throw new ParseFailure("missing '>' after the URI", open);
        }
        int e = i;
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r' || b[e - 1] == '\n')) {
            e--;
        }
        if (leading || e < i) {
            ctx.tolerate(Violation.SPACES_IN_ADDR_SPEC, in.utf8(open, i + 1), leading ? open + 1 : e);
        }
        if (e == s) {
            throw new ParseFailure("empty URI in '<>'", s);
        }
        Uri uri = UriParser.parse(b, s, e, ctx);
        in.position(i + 1);
        return uri;
    }
}
