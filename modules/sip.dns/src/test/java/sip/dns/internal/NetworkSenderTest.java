package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/** Which datagrams answer a query (RFC 5452 §9.1): the rest are discarded and the wait goes on. */
class NetworkSenderTest {
    private static final int ID = 0x1234;
    private final Message query = query("h.example.test", Type.A);

    private static Message query(String name, int type) {
        Message q = Message.newQuery(Record.newRecord(FakeZone.name(name), type, DClass.IN));
        q.getHeader().setID(ID);
        return q;
    }

    private static Message response(Message q, int rcode) {
        Message m = new Message(q.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        m.addRecord(q.getQuestion(), Section.QUESTION);
        return m;
    }

    @Test
    void theAnswerToTheQueryIsTaken() throws Exception {
        assertNotNull(NetworkSender.answerTo(query, ID, response(query, Rcode.NOERROR).toWire()));
    }

    @Test
    void aWrongIdAQueryAnotherQuestionOrAShortDatagramIsDiscarded() throws Exception {
        Message wrongId = response(query, Rcode.NOERROR);
        wrongId.getHeader().setID(ID + 1);
        assertNull(NetworkSender.answerTo(query, ID, wrongId.toWire()));
        assertNull(NetworkSender.answerTo(query, ID, query.toWire()), "not a response (QR clear)");
        Message other = response(query("evil.example.test", Type.A), Rcode.NOERROR);
        assertNull(NetworkSender.answerTo(query, ID, other.toWire()));
        Message otherType = response(query("h.example.test", Type.AAAA), Rcode.NOERROR);
        assertNull(NetworkSender.answerTo(query, ID, otherType.toWire()));
        assertNull(NetworkSender.answerTo(query, ID, new byte[] {0x12, 0x34, (byte) 0x80}));
    }

    @Test
    void anErrorAnswerWithoutItsQuestionIsTakenButNotADataAnswer() throws Exception {
        Message formerr = new Message(ID);
        formerr.getHeader().setFlag(Flags.QR);
        formerr.getHeader().setRcode(Rcode.FORMERR);
        assertNotNull(NetworkSender.answerTo(query, ID, formerr.toWire()));
        Message bare = new Message(ID);
        bare.getHeader().setFlag(Flags.QR);
        assertNull(NetworkSender.answerTo(query, ID, bare.toWire()));
    }

    @Test
    void anUnparseableAnswerWithTheRightIdIsMalformedNotDiscarded() {
        Message m = response(query, Rcode.NOERROR);
        m.addRecord(new org.xbill.DNS.ARecord(FakeZone.name("h.example.test"), DClass.IN, 60,
                java.net.InetAddress.ofLiteral("192.0.2.1")), Section.ANSWER);
        byte[] wire = m.toWire();
        byte[] cut = Arrays.copyOf(wire, wire.length - 3);
        WireParseException e = assertThrows(WireParseException.class, () -> NetworkSender.answerTo(query, ID, cut));
        assertSame(WireParseException.class, e.getClass());
    }
}
