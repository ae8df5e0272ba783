package sip.script;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code auth} part of a script's {@code config}: what {@code sip.auth.check} uses.
 *
 * @param realm the Digest realm of challenges
 * @param users user name to password (plain text, as the script gives it)
 */
public record AuthConfig(String realm, Map<String, String> users) {

    public AuthConfig {
        Objects.requireNonNull(realm, "realm");
        users = Map.copyOf(users);
    }

    /** Hides the passwords. */
    @Override
    public String toString() {
        return "AuthConfig[realm=" + realm + ", users=" + users.keySet() + "]";
    }
}
