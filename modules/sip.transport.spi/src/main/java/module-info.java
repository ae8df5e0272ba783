/**
 * The transport SPI. Providers are found with {@link java.util.ServiceLoader}; Parley's own
 * UDP, TCP, TLS and WS providers are registered exactly like a third party's. (Issue #3.)
 */
module sip.transport.spi {
    requires transitive sip.message;
    // exports sip.transport.spi; once its issue adds the first API type (javac refuses to export an empty package)
}
