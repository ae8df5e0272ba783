/**
 * Test fixture, not part of the stack: an in-memory transport provided through the SPI exactly as
 * a third party's would be.
 */
module sip.transport.loopback {
    requires sip.transport.spi;
    // provides sip.transport.spi.TransportProvider with ...; exports sip.transport.loopback; (being written)
}
