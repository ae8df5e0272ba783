/**
 * The JavaScript routing runtime (issue #6: not built yet).
 */
package sip.script;
