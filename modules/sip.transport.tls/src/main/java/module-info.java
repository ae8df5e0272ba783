/**
 * SIP transport provider for TLS (issue #3: not built yet).
 */
module sip.transport.tls {
    requires sip.transport.spi;
}
