package sip.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParseException;
import sip.message.SipParser;

/** The fast tag readers agree with the typed From/To wherever those parse. */
class TagConsistencyTest {
    static Stream<Corpus.Entry> corpus() {
        return Corpus.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void fastTagsAgreeWithTypedViews(Corpus.Entry entry) {
        SipParser lazy = SipParser.newBuilder().validation(SipParser.Validation.LAZY).build();
        if (!(lazy.parse(entry.bytes()) instanceof ParseResult.Parsed(SipMessage fresh))) {
            return;
        }
        // read the fast way first, on a message whose From/To were never parsed
        String fromFast = quietly(fresh::fromTag);
        String toFast = quietly(fresh::toTag);
        SipMessage typed = ((ParseResult.Parsed) lazy.parse(entry.bytes())).message();
        String from = quietly(() -> typed.from().tag());
        String to = quietly(() -> typed.to().tag());
        if (!"<error>".equals(from)) {
            assertEquals(from, fromFast, entry + " From");
        }
        if (!"<error>".equals(to)) {
            assertEquals(to, toFast, entry + " To");
        }
    }

    private static String quietly(java.util.function.Supplier<String> s) {
        try {
            return s.get();
        } catch (SipParseException e) {
            return "<error>";
        }
    }
}
