package sip.script;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A script's {@code export const config}, read once per loaded version. Every part is optional
 * in the script; an absent part is an empty list / empty optional here.
 *
 * @param listen listen addresses as {@code PROTO:HOST:PORT}; {@code --listen} on the command
 *     line wins over them
 * @param domains the registrar's domains (a REGISTER for another is answered {@code 404});
 *     empty: any domain (the Request-URI's host must match the AOR's)
 * @param auth what {@code sip.auth.check} checks against; empty: it answers {@code 403}
 * @param workers JS worker threads wanted; the runtime builder's setting wins
 */
public record ScriptConfig(List<String> listen, List<String> domains, Optional<AuthConfig> auth, OptionalInt workers) {

    /** No listen addresses, any domain, no auth, default workers. */
    public static final ScriptConfig EMPTY = new ScriptConfig(List.of(), List.of(), Optional.empty(), OptionalInt.empty());

    public ScriptConfig {
        listen = List.copyOf(listen);
        domains = List.copyOf(domains);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(workers, "workers");
    }
}
