package sip.message.internal;

import java.util.Objects;
import sip.message.Compliance;
import sip.message.ComplianceListener;
import sip.message.SipParser;

/** The {@link SipParser.Builder}: every default is declared here, once. */
public final class ParserBuilder implements SipParser.Builder {
    static final int DEFAULT_MAX_MESSAGE_SIZE = 65_536;
    static final int DEFAULT_MAX_HEADER_COUNT = 256;
    static final int DEFAULT_MAX_LINE_LENGTH = 8_192;
    /** 4 MiB: far above any SIP message, and keeps every offset a framer buffer holds packable. */
    static final int MAX_MESSAGE_SIZE = 4 << 20;

    Compliance compliance = Compliance.LENIENT;
    ComplianceListener listener = ComplianceListener.NONE;
    SipParser.Validation validation = SipParser.Validation.FULL;
    int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    int maxHeaderCount = DEFAULT_MAX_HEADER_COUNT;
    int maxLineLength = DEFAULT_MAX_LINE_LENGTH;

    @Override
    public SipParser.Builder compliance(Compliance c) {
        this.compliance = Objects.requireNonNull(c, "compliance");
        return this;
    }

    @Override
    public SipParser.Builder listener(ComplianceListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    @Override
    public SipParser.Builder validation(SipParser.Validation v) {
        this.validation = Objects.requireNonNull(v, "validation");
        return this;
    }

    @Override
    public SipParser.Builder maxMessageSize(int bytes) {
        if (bytes < 64 || bytes > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be 64.." + MAX_MESSAGE_SIZE + ": " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    @Override
    public SipParser.Builder maxHeaderCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxHeaderCount must be positive: " + count);
        }
        this.maxHeaderCount = count;
        return this;
    }

    @Override
    public SipParser.Builder maxLineLength(int bytes) {
        if (bytes < 32) {
            throw new IllegalArgumentException("maxLineLength must be at least 32: " + bytes);
        }
        this.maxLineLength = bytes;
        return this;
    }

    @Override
    public SipParser build() {
        return new ParserImpl(this);
    }
}
