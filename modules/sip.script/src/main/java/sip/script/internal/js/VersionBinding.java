package sip.script.internal.js;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sip.message.SipUri;
import sip.message.Uri;
import sip.router.auth.DigestAuthenticator;
import sip.router.auth.InMemoryCredentialStore;
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
 * {@code sip.auth.check} (built per realm, 401 for REGISTER and 407 otherwise, on the host's
 * clock), the store and the host. Thread-safe.
 */
public final class VersionBinding {

    // One key per JVM: a nonce issued by a version's authenticator stays valid after a reload.
    private static final byte[] NONCE_KEY = newKey();

    private final String fileName;
    private final ScriptHost host;
    private final ScriptStore store;
    private final ScriptConfig config;
    private final Registrar registrar;
    private final Map<String, DigestAuthenticator> authenticators = new ConcurrentHashMap<>();

    public VersionBinding(String fileName, ScriptHost host, ScriptStore store, ScriptConfig config) {
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

    private static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
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
     * {@code auth} (then {@code sip.auth.check} answers 403).
     */
    DigestAuthenticator authenticator(String realm, boolean register) {
        AuthConfig auth = config.auth().orElse(null);
        if (auth == null) {
            return null;
        }
        String r = realm == null ? auth.realm() : realm;
        return authenticators.computeIfAbsent((register ? "401 " : "407 ") + r, k -> {
            InMemoryCredentialStore credentials = new InMemoryCredentialStore();
            auth.users().forEach((user, password) -> credentials.add(user, r, password));
            return DigestAuthenticator.newBuilder()
                    .realm(r)
                    .nonceKey(NONCE_KEY)
                    .clock(host.clock())
                    .credentials(credentials)
                    .proxy(!register)
                    .build();
        });
    }
}
