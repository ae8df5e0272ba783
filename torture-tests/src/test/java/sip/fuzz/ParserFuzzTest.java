package sip.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary bytes through the datagram parser, lenient, strict and lazy: the parser only ever
 * answers {@code Parsed} or {@code Malformed}, never throws and never hangs, and whatever it
 * returns can be read, validated and written without anything but {@code SipParseException}
 * (see {@link ParserProperties}).
 *
 * <p>Without {@code JAZZER_FUZZ} this runs as a regression test over the seed corpus in
 * {@code src/test/resources/sip/fuzz/ParserFuzzTestInputs/parseArbitraryBytes/} (hand-written
 * messages, valid and broken, plus every finding kept so it stays fixed). See FUZZING.md.
 */
class ParserFuzzTest {

    // The timeout bounds one input (Jazzer turns it into libFuzzer's -timeout while fuzzing):
    // a parse of at most a few KiB that takes seconds is a hang.
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    // libFuzzer dictionary syntax: control characters, quotes and backslashes as \xNN escapes.
    @DictionaryEntries({
        "SIP/2.0", "SIP/2.0/UDP ", "SIP/2.0/TCP ", "INVITE ", "ACK ", "REGISTER ", "sip:", "sips:",
        "tel:", "\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "\\x0D\\x0A ", "\\x0A", "\\x09",
        "Via: ", "v: ", "From: ", "f: ", "To: ", "t: ",
        "Call-ID: ", "i: ", "CSeq: ", "Max-Forwards: ", "Contact: ", "m: ", "Content-Length: ",
        "l: ", "Content-Type: ", "c: ", "Route: ", "Record-Route: ", "Expires: ", "Date: ",
        "WWW-Authenticate: Digest ", "Authorization: Digest ", "Retry-After: ", "Warning: ",
        "Event: ", "Subscription-State: ", "Reason: ", "Accept: ", "Allow: ", "Supported: ",
        ";branch=z9hG4bK", ";tag=", ";received=", ";rport", ";maddr=", ";ttl=", ";lr",
        ";transport=", ";expires=", ";q=", "<sip:", ">", "\\x22", "\\x5C\\x22", "[2001:db8::1]", "%41",
        "application/sdp", "multipart/mixed;boundary=", "*", "@", ":5060", "GMT", "Mon, 01 Jan"
    })
    @FuzzTest(maxDuration = "30s")
    void parseArbitraryBytes(byte[] input) {
        ParserProperties.check(input);
    }
}
