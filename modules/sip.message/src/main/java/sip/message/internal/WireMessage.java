package sip.message.internal;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import sip.message.CSeq;
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.ParseError;
import sip.message.Via;
import sip.message.Violation;

/** A message backed by its wire bytes and an index of its header fields. (STUB) */
public abstract class WireMessage {
    WireMessage() {}

    private static UnsupportedOperationException todo() { return new UnsupportedOperationException("stub"); }

    public String version() { throw todo(); }
    public List<HeaderField> headers() { throw todo(); }
    public Optional<String> header(HeaderName name) { throw todo(); }
    public List<String> headerValues(HeaderName name) { throw todo(); }
    public boolean hasHeader(HeaderName name) { throw todo(); }
    public <T> List<T> all(HeaderType<T> type) { throw todo(); }
    public <T> Optional<T> first(HeaderType<T> type) { throw todo(); }
    public Via topVia() { throw todo(); }
    public NameAddress from() { throw todo(); }
    public NameAddress to() { throw todo(); }
    public String callId() { throw todo(); }
    public CSeq cseq() { throw todo(); }
    public OptionalInt maxForwards() { throw todo(); }
    public byte[] body() { throw todo(); }
    public int bodyLength() { throw todo(); }
    public Optional<ParseError> validate() { throw todo(); }
    public Set<Violation> violations() { throw todo(); }
    public byte[] toBytes() { throw todo(); }
    public void writeTo(OutputStream out) { throw todo(); }
}
