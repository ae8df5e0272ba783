/**
 * The GraalJS routing runtime and the {@code parley} command (issue #6: not built yet).
 */
module sip.script {
    requires sip.router;
    // exports sip.script; once its issue adds the first API type (javac refuses to export an empty package)
}
