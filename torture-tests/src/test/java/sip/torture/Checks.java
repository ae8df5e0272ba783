package sip.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import sip.message.Compliance;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.ParseError;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.StandardHeader;
import sip.message.Violation;

/** Assertions shared by the torture suites. */
final class Checks {
    private Checks() {}

    /** What a file is expected to do. */
    sealed interface Expect permits Accept, Reject {}

    /** Facts about a parsed message. */
    @FunctionalInterface
    interface Facts {
        void check(SipMessage m) throws Exception;
    }

    /**
     * Accepted by the lenient parser with exactly {@code tolerated} violations; when that set is
     * not empty the strict parser rejects the file with 400.
     */
    record Accept(Set<Violation> tolerated, Facts facts) implements Expect {}

    /**
     * Rejected by both parsers as {@link ParseResult.Malformed}. {@code status} 0 means any status
     * (a response that fails to parse is dropped, never answered).
     */
    record Reject(int status, Consumer<ParseError> about) implements Expect {}

    static Accept valid(Facts facts) {
        return new Accept(Set.of(), facts);
    }

    static Accept tolerated(Violation v, Facts facts) {
        return new Accept(Set.of(v), facts);
    }

    static Accept tolerated(Set<Violation> vs, Facts facts) {
        return new Accept(Set.copyOf(vs), facts);
    }

    static Reject reject(int status) {
        return new Reject(status, e -> {});
    }

    static Reject reject(int status, Consumer<ParseError> about) {
        return new Reject(status, about);
    }

    /** A response that must not parse (it is dropped). */
    static Reject dropped() {
        return new Reject(0, e -> {});
    }

    /** Checks that the expectation kind fits the manifest class. */
    static void assertKindFitsClass(String kind, Expect e, String file) {
        switch (kind) {
            case "valid", "transaction", "compat" -> assertTrue(e instanceof Accept,
                file + ": manifest class " + kind + " must be accepted");
            case "invalid" -> assertTrue(e instanceof Reject || (e instanceof Accept a && !a.tolerated().isEmpty()),
                file + ": manifest class invalid must be rejected or accepted only as a named violation");
            case "application" -> { }
            default -> fail(file + ": unknown manifest class " + kind);
        }
    }

    static ParseResult parse(SipParser p, byte[] b) {
        ParseResult r = p.parse(b);
        if (r == null) {
            fail("parse returned null");
        }
        return r;
    }

    static SipMessage parsed(ParseResult r, String what) {
        if (r instanceof ParseResult.Malformed m) {
            fail(what + ": expected Parsed, got Malformed " + m.error());
        }
        return assertInstanceOf(ParseResult.Parsed.class, r, what).message();
    }

    static ParseError malformed(ParseResult r, String what) {
        if (r instanceof ParseResult.Parsed p) {
            fail(what + ": expected Malformed, got Parsed " + p.message().getClass().getSimpleName()
                + " with violations " + p.message().violations());
        }
        return assertInstanceOf(ParseResult.Malformed.class, r, what).error();
    }

    static void assertStatus(int expected, ParseError e, String what) {
        assertEquals(expected, e.status().code(), what + ": status of " + e);
        assertTrue(!e.reason().isBlank(), what + ": the error must say what is wrong");
    }

    /** The error names one of {@code headers}: as its header, or in its reason (as a word). */
    static void assertNames(ParseError e, HeaderName... headers) {
        for (HeaderName h : headers) {
            if (e.header().isPresent() && e.header().get().equals(h)) {
                return;
            }
            Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9-])" + Pattern.quote(h.canonical()) + "(?![A-Za-z0-9-])");
            if (word.matcher(e.reason()).find()) {
                return;
            }
        }
        fail("error " + e + " should name one of " + Arrays.toString(headers));
    }

    /** The error names the violation: its constant, its description or its rule. */
    static void assertNamesViolation(ParseError e, Violation v) {
        assertNamesViolation(e, Set.of(v));
    }

    /**
     * The error is the rejection of one of the violations (a strict parser stops at the first it
     * meets): {@link ParseError#violation()} says which, and the reason names it for people.
     */
    static void assertNamesViolation(ParseError e, Set<Violation> vs) {
        Violation v = e.violation().orElseThrow(() -> new AssertionError("error " + e + " names no violation; expected one of " + vs));
        assertTrue(vs.contains(v), "error " + e + " rejects " + v + ", expected one of " + vs);
        String r = e.reason().toLowerCase(Locale.ROOT);
        assertTrue(r.contains(v.description().toLowerCase(Locale.ROOT)) && r.contains(v.rule().toLowerCase(Locale.ROOT)),
            "the reason of " + e + " gives the violation's description and rule");
    }

    /** A problem on the start line is reported on line 1. */
    static void assertStartLine(ParseError e) {
        assertEquals(1, e.line(), "the problem is on the start line: " + e);
        assertTrue(e.header().isEmpty(), "a start-line problem is in no header: " + e);
    }

    /**
     * Calls every read accessor of {@code m}; each may only throw {@link sip.message.SipParseException}.
     *
     * @return the accessors that threw (SipParseException only)
     */
    static List<String> exerciseAccessors(SipMessage m) {
        List<String> threw = new ArrayList<>();
        List<Object[]> calls = new ArrayList<>();
        calls.add(new Object[] {"version", (Runnable) m::version});
        calls.add(new Object[] {"headers", (Runnable) () -> m.headers().forEach(f -> f.value().length())});
        calls.add(new Object[] {"vias", (Runnable) m::vias});
        calls.add(new Object[] {"topVia", (Runnable) m::topVia});
        calls.add(new Object[] {"from", (Runnable) m::from});
        calls.add(new Object[] {"to", (Runnable) m::to});
        calls.add(new Object[] {"callId", (Runnable) m::callId});
        calls.add(new Object[] {"cseq", (Runnable) m::cseq});
        calls.add(new Object[] {"maxForwards", (Runnable) m::maxForwards});
        calls.add(new Object[] {"contacts", (Runnable) m::contacts});
        calls.add(new Object[] {"contentType", (Runnable) m::contentType});
        calls.add(new Object[] {"body", (Runnable) m::body});
        calls.add(new Object[] {"bodyLength", (Runnable) m::bodyLength});
        calls.add(new Object[] {"validate", (Runnable) m::validate});
        calls.add(new Object[] {"violations", (Runnable) m::violations});
        calls.add(new Object[] {"toBytes", (Runnable) m::toBytes});
        calls.add(new Object[] {"toString", (Runnable) m::toString});
        calls.add(new Object[] {"writeTo", (Runnable) () -> {
            try {
                m.writeTo(new ByteArrayOutputStream());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }});
        for (StandardHeader h : StandardHeader.values()) {
            calls.add(new Object[] {"header(" + h + ")", (Runnable) () -> {
                m.header(h);
                m.headerValues(h);
                m.hasHeader(h);
            }});
        }
        for (HeaderType<?> t : HeaderType.ALL) {
            calls.add(new Object[] {"all(" + t.name() + ")", (Runnable) () -> m.all(t)});
            calls.add(new Object[] {"first(" + t.name() + ")", (Runnable) () -> m.first(t)});
        }
        if (m instanceof SipRequest req) {
            calls.add(new Object[] {"method", (Runnable) req::method});
            calls.add(new Object[] {"requestUri", (Runnable) () -> String.valueOf(req.requestUri())});
        } else if (m instanceof SipResponse res) {
            calls.add(new Object[] {"status", (Runnable) res::status});
            calls.add(new Object[] {"statusCode", (Runnable) res::statusCode});
        }
        List<String> bad = new ArrayList<>();
        for (Object[] c : calls) {
            try {
                ((Runnable) c[1]).run();
            } catch (sip.message.SipParseException e) {
                threw.add((String) c[0]);
            } catch (Throwable t) {
                bad.add(c[0] + " threw " + t);
            }
        }
        if (!bad.isEmpty()) {
            fail("accessors threw something other than SipParseException:\n  "
                + bad.stream().collect(Collectors.joining("\n  ")));
        }
        return threw;
    }

    /** A parser recording every violation it is told about. */
    static final class Recorder {
        final List<Violation> seen = new ArrayList<>();
        final List<String> details = new ArrayList<>();
        final SipParser parser;

        Recorder(Compliance c) {
            parser = SipParser.newBuilder().compliance(c).listener((v, d) -> {
                synchronized (this) {
                    seen.add(v);
                    details.add(v + ": " + d);
                }
            }).build();
        }

        synchronized Set<Violation> set() {
            return seen.isEmpty() ? Set.of() : java.util.EnumSet.copyOf(seen);
        }
    }
}
