/**
 * SIP transport provider for TCP (issue #3: not built yet).
 */
module sip.transport.tcp {
    requires sip.transport.spi;
}
