package sip.router.auth;

import java.util.Objects;

/**
 * A user name and password a client answers a Digest challenge with.
 *
 * @param username the Digest {@code username}
 * @param password the password; never sent, only hashed into the response
 */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Hides the password so that a logged record does not leak it. */
    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
