package sip.transport.ws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.transport.ws.internal.FrameTestBytes.binary;
import static sip.transport.ws.internal.FrameTestBytes.concat;
import static sip.transport.ws.internal.FrameTestBytes.counting;
import static sip.transport.ws.internal.FrameTestBytes.decode;
import static sip.transport.ws.internal.FrameTestBytes.decodeInChunks;
import static sip.transport.ws.internal.FrameTestBytes.drain;
import static sip.transport.ws.internal.FrameTestBytes.hex;
import static sip.transport.ws.internal.FrameTestBytes.text;
import static sip.transport.ws.internal.FrameTestBytes.utf8;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameDecoderTest {

    private static final int LIMIT = 1 << 20;

    private static FrameDecoder server() {
        return new FrameDecoder(Role.SERVER, LIMIT, LIMIT);
    }

    private static FrameDecoder client() {
        return new FrameDecoder(Role.CLIENT, LIMIT, LIMIT);
    }

    private static WsEvent.Failure failure(int code) {
        return new WsEvent.Failure(code, "ignored");
    }

    /** Asserts one Failure with {@code code} and nothing before it. */
    private static void assertFails(int code, List<WsEvent> events) {
        assertEquals(1, events.size(), () -> "events: " + events);
        WsEvent.Failure f = assertInstanceOf(events.getFirst());
        assertEquals(code, f.closeCode(), () -> "failure: " + f);
    }

    private static WsEvent.Failure assertInstanceOf(WsEvent event) {
        assertTrue(event instanceof WsEvent.Failure, () -> "not a failure: " + event);
        return (WsEvent.Failure) event;
    }

    // RFC 6455 §5.7 examples

    @Test
    void singleFrameUnmaskedText() {
        assertEquals(List.of(text("Hello")), decode(client(), hex("81 05 48 65 6c 6c 6f")));
    }

    @Test
    void singleFrameMaskedText() {
        assertEquals(List.of(text("Hello")), decode(server(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
    }

    @Test
    void fragmentedUnmaskedText() {
        assertEquals(List.of(text("Hello")), decode(client(), hex("01 03 48 65 6c  80 02 6c 6f")));
    }

    @Test
    void unmaskedPingAndMaskedPong() {
        assertEquals(List.of(new WsEvent.Ping(utf8("Hello"))), decode(client(), hex("89 05 48 65 6c 6c 6f")));
        assertEquals(List.of(new WsEvent.Pong(utf8("Hello"))),
                decode(server(), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")));
    }

    @Test
    void binaryWith16BitLength() {
        byte[] payload = counting(256);
        assertEquals(List.of(binary(payload)), decode(client(), concat(hex("82 7E 0100"), payload)));
    }

    @Test
    void binaryWith64BitLength() {
        byte[] payload = counting(65536);
        assertEquals(List.of(binary(payload)),
                decode(client(), concat(hex("82 7F 0000000000010000"), payload)));
    }

    @Test
    void nonMinimalLengthEncodingsAreAccepted() {
        assertEquals(List.of(text("Hello")), decode(client(), hex("81 7E 0005 48 65 6c 6c 6f")));
        assertEquals(List.of(text("Hello")), decode(client(), hex("81 7F 0000000000000005 48 65 6c 6c 6f")));
    }

    @Test
    void emptyMessages() {
        assertEquals(List.of(text(""), binary(new byte[0]), text("")),
                decode(client(), hex("81 00  82 00  01 00 00 00 80 00")));
    }

    // masking by role

    @Test
    void serverRefusesAnUnmaskedFrame() {
        assertFails(1002, decode(server(), hex("81 05 48 65 6c 6c 6f")));
    }

    @Test
    void clientRefusesAMaskedFrame() {
        assertFails(1002, decode(client(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
    }

    @Test
    void maskedControlFramesForTheServer() {
        // ping "Hi" masked with key 00000000 and with 01020304
        assertEquals(List.of(new WsEvent.Ping(utf8("Hi")), new WsEvent.Ping(utf8("Hi"))),
                decode(server(), hex("89 82 00000000 48 69  89 82 01020304 49 6b")));
    }

    // fragmentation and interleaved control frames

    @Test
    void pingBetweenFragmentsComesFirst() {
        assertEquals(List.of(new WsEvent.Ping(utf8("x")), text("Hello")),
                decode(client(), hex("01 03 48 65 6c  89 01 78  80 02 6c 6f")));
    }

    @Test
    void maskedFragmentsWithControlFramesBetween() {
        byte[] frames = concat(
                FrameEncoder.frame(FrameEncoder.PONG, utf8("p"), true, () -> 7L << 32),
                fragment(FrameEncoder.BINARY, false, counting(3), 0x11223344),
                FrameEncoder.frame(FrameEncoder.PING, utf8("a"), true, () -> 9L << 32),
                fragment(FrameEncoder.CONTINUATION, false, new byte[0], 0x55667788),
                FrameEncoder.frame(FrameEncoder.PONG, new byte[0], true, () -> 1L << 32),
                fragment(FrameEncoder.CONTINUATION, true, new byte[] {3, 4}, 0x99AABBCC));
        assertEquals(List.of(new WsEvent.Pong(utf8("p")), new WsEvent.Ping(utf8("a")),
                        new WsEvent.Pong(new byte[0]), binary(counting(5))),
                decode(server(), frames));
    }

    /** A masked frame with FIN as given, built with the encoder's header and mask. */
    static byte[] fragment(int opcode, boolean fin, byte[] payload, int key) {
        int header = FrameEncoder.headerLength(payload.length, true);
        byte[] frame = new byte[header + payload.length];
        FrameEncoder.writeHeader(frame, 0, opcode, fin, payload.length, true, key);
        FrameEncoder.mask(payload, 0, frame, header, payload.length, key, 0);
        return frame;
    }

    @Test
    void codePointSplitAcrossFragmentsIsValid() {
        // "é" = C3 A9, split between the two fragments
        assertEquals(List.of(text("aé")), decode(client(), hex("01 02 61 C3  80 01 A9")));
    }

    @Test
    void codePointSplitAroundAControlFrameIsValid() {
        // C3 | ping | A9: the ping must not disturb the text check of the message around it
        assertEquals(List.of(new WsEvent.Ping(hex("FF")), text("é")),
                decode(client(), hex("01 01 C3  89 01 FF  80 01 A9")));
    }

    @Test
    void messagesDeliveredEarlierAreNotOverwrittenByLaterOnes() {
        FrameDecoder decoder = client();
        List<WsEvent> first = decode(decoder, hex("02 01 01  80 01 02  82 02 03 04"));
        List<WsEvent> second = decode(decoder, hex("02 01 09  80 01 09  82 02 09 09"));
        assertEquals(List.of(binary(hex("0102")), binary(hex("0304"))), first);
        assertEquals(List.of(binary(hex("0909")), binary(hex("0909"))), second);
    }

    // 1002

    @ParameterizedTest
    @ValueSource(strings = {"C1 00", "A1 00", "91 00", "F1 00", "C9 00"})
    void rsvBitsAreAProtocolError(String frame) {
        assertFails(1002, decode(client(), hex(frame)));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void unknownOpcodesAreAProtocolError(int opcode) {
        assertFails(1002, decode(client(), new byte[] {(byte) (0x80 | opcode), 0}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"89 7E 007E", "8A 7E 007E", "88 7F 000000000000007E"})
    void controlFramesOver125BytesAreAProtocolError(String header) {
        // decided from the header alone: no payload follows
        assertFails(1002, decode(client(), hex(header)));
    }

    @Test
    void controlFrameOf125BytesIsFine() {
        byte[] payload = counting(125);
        assertEquals(List.of(new WsEvent.Ping(payload)), decode(client(), concat(hex("89 7D"), payload)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"09 00", "0A 00", "08 00", "01 01 41  09 00"})
    void fragmentedControlFramesAreAProtocolError(String frames) {
        assertFails(1002, decode(client(), hex(frames)));
    }

    @Test
    void continuationWithoutAStartIsAProtocolError() {
        assertFails(1002, decode(client(), hex("80 01 41")));
        assertFails(1002, decode(client(), hex("00 01 41")));
        // also right after a complete message
        List<WsEvent> events = decode(client(), hex("01 01 41 80 01 42  80 01 43"));
        assertEquals(text("AB"), events.getFirst());
        assertFails(1002, events.subList(1, events.size()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01 01 41  81 01 42", "01 01 41  02 01 42", "02 01 41  89 00 82 01 42"})
    void newDataFrameInsideAFragmentedMessageIsAProtocolError(String frames) {
        List<WsEvent> events = decode(client(), hex(frames));
        assertFails(1002, events.subList(events.size() - 1, events.size()));
        assertTrue(events.stream().noneMatch(e -> e instanceof WsEvent.Message), events::toString);
    }

    @Test
    void lengthWithTheMostSignificantBitIsAProtocolError() {
        assertFails(1002, decode(client(), hex("82 7F 8000000000000000")));
        assertFails(1002, decode(client(), hex("82 7F FFFFFFFFFFFFFFFF")));
    }

    @Test
    void protocolErrorsAreFoundInTheFirstByteWithoutWaitingForTheRest() {
        assertFails(1002, decode(client(), hex("C1")));
        assertFails(1002, decode(client(), hex("83")));
        assertFails(1002, decode(client(), hex("80")));
        assertFails(1002, decode(server(), hex("81 05")));
    }

    // 1007

    @Test
    void invalidUtf8InASingleFrameTextMessage() {
        assertFails(1007, decode(client(), hex("81 02 C3 28")));
        assertFails(1007, decode(server(), FrameEncoder.frame(FrameEncoder.TEXT, hex("ED A0 80"), true, () -> 5L << 32)));
    }

    @Test
    void binaryMessagesAreNotUtf8Checked() {
        assertEquals(List.of(binary(hex("C3 28 FF"))), decode(client(), hex("82 03 C3 28 FF")));
    }

    @Test
    void textEndingInsideACodePointIsInvalid() {
        assertFails(1007, decode(client(), hex("81 01 C3")));
        assertFails(1007, decode(client(), hex("01 01 C3  80 00")));
    }

    @Test
    void invalidUtf8FailsAtOnceBeforeTheFrameOrMessageEnds() {
        // the frame announces 5 bytes; the second (FF) can never be UTF-8
        assertFails(1007, decode(client(), hex("81 05 41 FF")));
        // first fragment already invalid: no need to wait for the last
        assertFails(1007, decode(client(), hex("01 02 41 FF")));
        // C3 then 28 across fragments
        assertFails(1007, decode(client(), hex("01 01 C3  00 01 28")));
    }

    // 1009

    @Test
    void frameOverTheFrameLimitFailsFromItsHeader() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 100, 1000);
        assertFails(1009, decode(decoder, hex("82 7E 00C8")));  // 200 bytes announced, none sent
        assertEquals(0, decoder.buffered());
        assertFails(1009, decode(new FrameDecoder(Role.CLIENT, 100, 1000), hex("82 65")));  // 101 in 7 bits
        assertEquals(List.of(binary(counting(100))),
                decode(new FrameDecoder(Role.CLIENT, 100, 1000), concat(hex("82 64"), counting(100))));
    }

    @Test
    void hugeLengthsAreTooBigNotProtocolErrors() {
        assertFails(1009, decode(client(), hex("82 7F 0000000100000000")));
        assertFails(1009, decode(client(), hex("82 7F 7FFFFFFFFFFFFFFF")));
    }

    @Test
    void messageOverTheMessageLimitFailsFromTheHeaderOfTheFragmentThatCrossesIt() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 100, 150);
        List<WsEvent> events = decode(decoder, concat(hex("01 50"), new byte[80]));
        assertEquals(List.of(), events);
        assertEquals(80, decoder.buffered());
        assertFails(1009, decode(decoder, hex("80 50")));  // 80 more: 160 > 150, payload not sent
        assertEquals(0, decoder.buffered());
    }

    @Test
    void singleFrameOverTheMessageLimit() {
        assertFails(1009, decode(new FrameDecoder(Role.CLIENT, 1000, 100), concat(hex("81 65"), new byte[101])));
    }

    // the decoder after a failure

    @Test
    void afterAFailureTheDecoderRepeatsItAndHoldsNothing() {
        FrameDecoder decoder = client();
        List<WsEvent> events = decode(decoder, hex("81 01 41  C1 00  81 01 42"));
        assertEquals(text("A"), events.getFirst());
        WsEvent.Failure failure = assertInstanceOf(events.get(1));
        assertEquals(1002, failure.closeCode());
        assertSame(failure, decoder.next());
        byte[] more = hex("81 01 43 01 7E");
        decoder.feed(more, 0, more.length);
        assertSame(failure, decoder.next());
        assertSame(failure, decoder.next());
        assertEquals(0, decoder.buffered());
    }

    @Test
    void framesBeforeTheBadOneAreDelivered() {
        assertEquals(List.of(text("A"), new WsEvent.Ping(new byte[0])),
                decode(client(), hex("81 01 41 89 00 8F 00")).subList(0, 2));
    }

    // close frames

    @Test
    void emptyCloseIs1005() {
        assertEquals(List.of(new WsEvent.Close(1005, "")), decode(client(), hex("88 00")));
    }

    @Test
    void closeWithCodeAndReason() {
        assertEquals(List.of(new WsEvent.Close(1000, "")), decode(client(), hex("88 02 03E8")));
        assertEquals(List.of(new WsEvent.Close(1001, "bye é")),
                decode(client(), concat(hex("88 08 03E9"), utf8("bye é"))));
        assertEquals(List.of(new WsEvent.Close(4999, "x")),
                decode(server(), FrameEncoder.closeFrame(4999, "x", true, () -> 3L << 32)));
    }

    @Test
    void closeOfOneByteIsAProtocolError() {
        assertFails(1002, decode(client(), hex("88 01 03")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void invalidCloseCodesAreAProtocolError(int code) {
        assertFails(1002, decode(client(), new byte[] {(byte) 0x88, 2, (byte) (code >>> 8), (byte) code}));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void validCloseCodes(int code) {
        assertEquals(List.of(new WsEvent.Close(code, "")),
                decode(client(), new byte[] {(byte) 0x88, 2, (byte) (code >>> 8), (byte) code}));
    }

    @Test
    void closeReasonMustBeUtf8() {
        assertFails(1007, decode(client(), hex("88 04 03E8 C3 28")));
        assertFails(1007, decode(client(), hex("88 03 03E8 C3")));
    }

    // splits

    /** Several frames of every kind, masked as a client sends them. */
    private static byte[] conversation() {
        return concat(
                hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),                          // "Hello"
                fragment(FrameEncoder.TEXT, false, utf8("h€"), 0x01020304),        // € = E2 82 AC
                FrameEncoder.frame(FrameEncoder.PING, utf8("ping"), true, () -> 0xA1B2C3D4L << 32),
                fragment(FrameEncoder.CONTINUATION, false, utf8("llo "), 0),
                fragment(FrameEncoder.CONTINUATION, true, utf8("wörld"), 0xFFFFFFFF),
                FrameEncoder.frame(FrameEncoder.BINARY, counting(300), true, () -> 0x0BADF00DL << 32),
                FrameEncoder.frame(FrameEncoder.PONG, new byte[0], true, () -> 0L),
                FrameEncoder.frame(FrameEncoder.BINARY, counting(70_000), true, () -> 0x12345678L << 32),
                FrameEncoder.closeFrame(1000, "done", true, () -> 0x7L << 32));
    }

    private static final List<WsEvent> CONVERSATION_EVENTS = List.of(
            text("Hello"),
            new WsEvent.Ping(utf8("ping")),
            text("h€llo wörld"),
            binary(counting(300)),
            new WsEvent.Pong(new byte[0]),
            binary(counting(70_000)),
            new WsEvent.Close(1000, "done"));

    @Test
    void conversationAllAtOnce() {
        assertEquals(CONVERSATION_EVENTS, decode(server(), conversation()));
    }

    @Test
    void conversationOneByteAtATime() {
        FrameDecoder decoder = server();
        assertEquals(CONVERSATION_EVENTS, decodeInChunks(decoder, conversation(), 1));
        assertEquals(0, decoder.buffered());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7, 13, 14, 15, 100, 4096})
    void conversationInChunks(int chunk) {
        assertEquals(CONVERSATION_EVENTS, decodeInChunks(server(), conversation(), chunk));
    }

    @Test
    void everySplitPointGivesTheSameEvents() {
        // the conversation without its 70 000-byte frame, to keep the split count small
        byte[] bytes = concat(
                hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
                fragment(FrameEncoder.TEXT, false, utf8("h€"), 0x01020304),
                FrameEncoder.frame(FrameEncoder.PING, utf8("ping"), true, () -> 0xA1B2C3D4L << 32),
                fragment(FrameEncoder.CONTINUATION, true, utf8("llo"), 0xFFFFFFFF),
                FrameEncoder.frame(FrameEncoder.BINARY, counting(300), true, () -> 0x0BADF00DL << 32),
                FrameEncoder.closeFrame(1000, "done", true, () -> 0x7L << 32));
        List<WsEvent> expected = List.of(text("Hello"), new WsEvent.Ping(utf8("ping")), text("h€llo"),
                binary(counting(300)), new WsEvent.Close(1000, "done"));
        for (int split = 0; split <= bytes.length; split++) {
            FrameDecoder decoder = server();
            List<WsEvent> events = new ArrayList<>();
            decoder.feed(bytes, 0, split);
            events.addAll(drain(decoder));
            decoder.feed(bytes, split, bytes.length - split);
            events.addAll(drain(decoder));
            assertEquals(expected, events, "split at " + split);
            assertEquals(0, decoder.buffered(), "split at " + split);
        }
    }

    @Test
    void everySplitPointOfABadInputGivesTheSameFailure() {
        // a good frame, then a fragmented text whose second fragment breaks UTF-8
        byte[] bytes = concat(hex("81 01 41"), hex("01 02 61 E2"), hex("89 00"), hex("80 02 82 28"));
        for (int split = 0; split <= bytes.length; split++) {
            FrameDecoder decoder = client();
            List<WsEvent> events = new ArrayList<>();
            decoder.feed(bytes, 0, split);
            events.addAll(drain(decoder));
            if (events.isEmpty() || !(events.getLast() instanceof WsEvent.Failure)) {
                decoder.feed(bytes, split, bytes.length - split);
                events.addAll(drain(decoder));
            }
            assertEquals(List.of(text("A"), new WsEvent.Ping(new byte[0])), events.subList(0, 2), "split at " + split);
            assertFails(1007, events.subList(2, events.size()));
        }
    }

    @Test
    void feedingAgainBeforeDrainingKeepsTheUnreadBytes() {
        byte[] bytes = conversation();
        FrameDecoder decoder = server();
        List<WsEvent> events = new ArrayList<>();
        int off = 0;
        for (int chunk = 1; off < bytes.length; chunk = chunk * 3 + 1) {
            int len = Math.min(chunk, bytes.length - off);
            decoder.feed(bytes, off, len);
            off += len;
            WsEvent event = decoder.next(); // read one event at most, then feed again
            if (event != WsEvent.NEED_MORE) {
                events.add(event);
            }
        }
        events.addAll(drain(decoder));
        assertEquals(CONVERSATION_EVENTS, events);
        assertEquals(0, decoder.buffered());
    }

    // memory

    @Test
    void bufferedStaysWithinTheMessageLimitPlusAHeader() {
        int max = 1000;
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, max, max);
        byte[] bytes = concat(
                fragment(FrameEncoder.BINARY, false, counting(400), 1),
                FrameEncoder.frame(FrameEncoder.PING, counting(125), true, () -> 2L << 32),
                fragment(FrameEncoder.CONTINUATION, true, counting(600), 3));
        int peak = 0;
        List<WsEvent> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            decoder.feed(bytes, i, 1);
            events.addAll(drain(decoder));
            peak = Math.max(peak, decoder.buffered());
        }
        // 400 + 125 of the ping at most, never a copy of the input
        assertTrue(peak <= max + FrameEncoder.MAX_CONTROL_PAYLOAD + FrameEncoder.MAX_HEADER_LENGTH, "peak " + peak);
        assertTrue(peak >= 999, "peak " + peak);
        assertEquals(0, decoder.buffered());
        assertEquals(2, events.size());
        byte[] expected = concat(counting(400), counting(600));
        assertEquals(binary(expected), events.get(1));
    }

    @Test
    void aPartialHeaderIsAllThatIsHeldBetweenMessages() {
        FrameDecoder decoder = server();
        byte[] frame = FrameEncoder.frame(FrameEncoder.BINARY, counting(70_000), true, () -> 1L << 32);
        decoder.feed(frame, 0, 13);
        assertEquals(WsEvent.NEED_MORE, decoder.next());
        assertEquals(13, decoder.buffered());
        decoder.feed(frame, 13, 100);
        assertEquals(WsEvent.NEED_MORE, decoder.next());
        assertEquals(99, decoder.buffered()); // header (14) consumed, 99 payload bytes held
    }
}
