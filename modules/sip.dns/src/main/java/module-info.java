/**
 * RFC 3263 server location on dnsjava (issue #7: not built yet).
 */
module sip.dns {
    requires transitive sip.message;
    // exports sip.dns; once its issue adds the first API type (javac refuses to export an empty package)
}
