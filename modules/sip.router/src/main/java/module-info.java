/**
 * Transactions, dialogs, the UserAgent/Server/Client API, digest authentication, registrar and
 * stateful proxy (issues #4 and #5: not built yet).
 */
module sip.router {
    requires transitive sip.message;
    requires transitive sip.transport.spi;
    requires sip.dns;
    // exports sip.router; once its issue adds the first API type (javac refuses to export an empty package)
}
