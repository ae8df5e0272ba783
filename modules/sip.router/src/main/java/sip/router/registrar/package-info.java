/**
 * Registrar and location service (RFC 3261 §10, RFC 3327 Path): {@link sip.router.registrar.Registrar}
 * processes REGISTER requests into {@link sip.router.registrar.Binding}s kept by a
 * {@link sip.router.registrar.LocationService}, keyed by {@link sip.router.registrar.AddressOfRecord}.
 * {@link sip.router.registrar.LocationService#load} finds the store: the first
 * {@link sip.router.registrar.LocationService.Provider} service (a Redis or SQL store in a module
 * of its own), else one in memory. The store owns the clock (binding times are epoch instants);
 * {@link sip.router.registrar.Registrar#close()} closes the store and its sweep timer.
 *
 * <h2>Limits</h2>
 * <table>
 * <caption>Defaults, and what happens on breach</caption>
 * <tr><th>Setting</th><th>Default</th><th>On breach</th></tr>
 * <tr><td>{@code defaultExpires}</td><td>3600 s</td><td>used when the request gives none</td></tr>
 * <tr><td>{@code minExpires}</td><td>60 s</td><td>{@code 423} with {@code Min-Expires}</td></tr>
 * <tr><td>{@code maxExpires}</td><td>7200 s</td><td>the expiry granted is shortened to it</td></tr>
 * <tr><td>{@code maxBindingsPerAor}</td><td>16</td><td>{@code 403}, nothing changed</td></tr>
 * <tr><td>in-memory sweep interval</td><td>30 s</td><td>expired bindings are invisible at once;
 *     the sweep only frees their memory</td></tr>
 * </table>
 */
package sip.router.registrar;
