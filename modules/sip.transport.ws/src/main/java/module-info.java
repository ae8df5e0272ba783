/**
 * SIP transport provider for WS (issue #8: not built yet).
 */
module sip.transport.ws {
    requires sip.transport.spi;
}
