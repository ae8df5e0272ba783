package sip.testkit;

/** Placeholder: the generators are being written. */
public final class SipGenerators {
    private SipGenerators() {}
}
