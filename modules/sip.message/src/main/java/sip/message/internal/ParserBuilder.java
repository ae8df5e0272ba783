package sip.message.internal;

import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.SipParser;

/** The {@link SipParser.Builder}. (STUB) */
public final class ParserBuilder implements SipParser.Builder {
    @Override public SipParser.Builder compliance(Compliance c) { return this; }
    @Override public SipParser.Builder listener(ComplianceListener l) { return this; }
    @Override public SipParser.Builder validation(SipParser.Validation v) { return this; }
    @Override public SipParser.Builder maxMessageSize(int bytes) { return this; }
    @Override public SipParser.Builder maxHeaderCount(int count) { return this; }
    @Override public SipParser.Builder maxLineLength(int bytes) { return this; }
    @Override public SipParser build() { throw new UnsupportedOperationException(); }
}
