/**
 * The JavaScript routing runtime: {@link sip.script.Scripts#check} validates a script,
 * {@link sip.script.ScriptRuntime} runs it as the routing logic of a stateful proxy and
 * registrar on a {@link sip.router.UserAgent}, with hot reload. The JS contract (what a script
 * exports, the {@code req} and {@code sip} objects) is described in the module's README.
 */
package sip.script;
