package sip.script.internal.js;

import java.time.Instant;
import java.util.List;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.auth.DigestAuthenticator;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;
import sip.script.AuthConfig;
import sip.script.ScriptConfig;
import sip.script.internal.runtime.ScriptHost;
import sip.script.internal.runtime.ScriptStore;

/**
 * What every context of one script version shares: the real {@link Registrar} (over the host's
 * location service, with the version's {@code config.domains}), the Digest authenticators of
 * {@code sip.auth.check} (401 for REGISTER and 407 otherwise, on the host's clock, shared with
 * the executor's other versions), the store and the host. Thread-safe.
 */
public final class VersionBinding {

    private final String fileName;
    private final ScriptHost host;
    private final ScriptStore store;
    private final ScriptConfig config;
    private final Registrar registrar;
    private final DigestAuthenticators authenticators;

    public VersionBinding(String fileName, ScriptHost host, ScriptStore store, ScriptConfig config,
            DigestAuthenticators authenticators) {
        this.authenticators = authenticators;
        this.fileName = fileName;
        this.host = host;
        this.store = store;
        this.config = config;
        this.registrar = Registrar.newBuilder(host.locationService())
                .domains(config.domains().toArray(String[]::new))
                // The script is the authorizer: it calls sip.auth.check before save when it wants to.
                .authorizer(RegisterAuthorizer.allowAll())
                .build();
    }

    public String fileName() {
        return fileName;
    }

    public ScriptHost host() {
        return host;
    }

    public ScriptStore store() {
        return store;
    }

    public ScriptConfig config() {
        return config;
    }

    public Registrar registrar() {
        return registrar;
    }

    /** Live bindings of the AOR {@code aorOrUri} names. */
    List<Binding> lookup(String aorOrUri) {
        Uri uri = Uri.parse(aorOrUri.contains(":") ? aorOrUri : "sip:" + aorOrUri);
        if (!(uri instanceof SipUri)) {
            return List.of();
        }
        Instant now = host.locationService().clock().instant();
        return host.locationService().lookup(AddressOfRecord.of(uri)).stream()
                .filter(b -> !b.isExpired(now))
                .toList();
    }

    Instant now() {
        return host.locationService().clock().instant();
    }

    /**
     * The authenticator for {@code realm} (null: the config's), or null when the config has no
     * {@code auth} (then {@code sip.auth.check} answers 403). Shared across versions with the
     * same {@code config.auth} (see {@link DigestAuthenticators}). The caller checked
     * {@link #realmRefusal}.
     */
    DigestAuthenticator authenticator(String realm, boolean register) {
        AuthConfig auth = config.auth().orElse(null);
        if (auth == null) {
            return null;
        }
        return authenticators.get(auth, register);
    }

    /**
     * Why {@code realm} cannot be checked (the TypeError's message), or null. Only the configured
     * realm is accepted: the users are configured for it, and an authenticator (with its replay
     * table) per realm a script derives from requests would let senders grow memory.
     */
    String realmRefusal(String realm) {
        AuthConfig auth = config.auth().orElse(null);
        if (realm == null || auth == null || realm.equals(auth.realm())) {
            return null;
        }
        return "sip.auth.check realm '" + realm + "' is not configured (config.auth.realm is '" + auth.realm() + "')";
    }
}
