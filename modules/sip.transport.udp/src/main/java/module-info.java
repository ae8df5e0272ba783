/**
 * SIP transport provider for UDP (issue #3: not built yet).
 */
module sip.transport.udp {
    requires sip.transport.spi;
}
