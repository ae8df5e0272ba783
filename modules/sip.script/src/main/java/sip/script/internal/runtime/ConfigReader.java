package sip.script.internal.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Value;
import sip.router.auth.DigestAlgorithm;
import sip.script.AuthConfig;
import sip.script.ScriptConfig;
import sip.script.ScriptError;
import sip.script.ScriptException;

/** Reads {@code export const config} (plain data) into a {@link ScriptConfig}, or says what is wrong and where. */
final class ConfigReader {

    /** The most workers config.workers may ask for (each a platform thread with its own JS context). */
    static final int MAX_WORKERS = 256;


    private static final Pattern DECLARATION = Pattern.compile("export\\s+(?:const|let|var)\\s+config\\b");
    private static final Pattern LISTEN = Pattern.compile("(?i)(udp|tcp|tls|ws|wss):.+:\\d{1,5}");
    /** An HTTP request path (RFC 7230 origin-form, no query): what a WebSocket handshake's GET names. */
    private static final Pattern WS_PATH = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+,;=:@%/]*");
    /** A serialized origin (RFC 6454 §6.2): scheme://host[:port], no path. */
    private static final Pattern ORIGIN = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://(\\[[0-9a-f:.]+]|[^/\\s:\\[\\]]+)(:\\d{1,5})?");

    private final String file;
    private final String text;

    ConfigReader(String file, String text) {
        this.file = file;
        this.text = text;
    }

    ScriptConfig read(Value config) throws ScriptException {
        if (config == null || config.isNull()) {
            return ScriptConfig.EMPTY;
        }
        if (!config.hasMembers() || config.canExecute() || config.hasArrayElements()) {
            throw bad("config must be an object");
        }
        List<String> listen = List.of();
        List<String> domains = List.of();
        Optional<AuthConfig> auth = Optional.empty();
        OptionalInt workers = OptionalInt.empty();
        Optional<ScriptConfig.WebSocket> websocket = Optional.empty();
        for (String key : config.getMemberKeys()) {
            Value v = config.getMember(key);
            switch (key) {
                case "listen" -> {
                    listen = strings(v, "config.listen");
                    for (String l : listen) {
                        if (!LISTEN.matcher(l).matches()) {
                            throw bad("config.listen entries are PROTO:HOST:PORT (udp:127.0.0.1:5060), not '" + l + "'");
                        }
                    }
                }
                case "domains" -> domains = strings(v, "config.domains");
                case "auth" -> auth = Optional.of(auth(v));
                case "workers" -> {
                    if (!v.isNumber() || !v.fitsInInt() || v.asInt() < 1 || v.asInt() > MAX_WORKERS) {
                        throw bad("config.workers must be an integer from 1 to " + MAX_WORKERS);
                    }
                    workers = OptionalInt.of(v.asInt());
                }
                case "websocket" -> websocket = Optional.of(websocket(v));
                default -> throw bad("unknown config key '" + key + "' (listen, domains, auth, workers, websocket)");
            }
        }
        return new ScriptConfig(listen, domains, auth, workers, websocket);
    }

    /** {@code {path: '/sip', allowedOrigins: ['https://phone.example.com']}}, both optional. */
    private ScriptConfig.WebSocket websocket(Value v) throws ScriptException {
        if (!v.hasMembers() || v.hasArrayElements() || v.canExecute()) {
            throw bad("config.websocket must be {path: '/...', allowedOrigins: ['https://host[:port]']}");
        }
        Optional<String> path = Optional.empty();
        List<String> origins = List.of();
        for (String key : v.getMemberKeys()) {
            Value m = v.getMember(key);
            switch (key) {
                case "path" -> {
                    if (!m.isString() || !WS_PATH.matcher(m.asString()).matches()) {
                        throw bad("config.websocket.path must be a request path starting with '/' (e.g. '/sip'), not " + m);
                    }
                    path = Optional.of(m.asString());
                }
                case "allowedOrigins" -> {
                    origins = strings(m, "config.websocket.allowedOrigins");
                    for (String o : origins) {
                        if (!ORIGIN.matcher(o).matches()) {
                            throw bad("config.websocket.allowedOrigins entries are browser origins scheme://host[:port]"
                                    + " (https://phone.example.com), not '" + o + "'");
                        }
                    }
                }
                default -> throw bad("unknown config.websocket key '" + key + "' (path, allowedOrigins)");
            }
        }
        return new ScriptConfig.WebSocket(path, origins);
    }

    private AuthConfig auth(Value v) throws ScriptException {
        if (!v.hasMembers() || v.hasArrayElements()) {
            throw bad("config.auth must be {realm: '...', users: {name: 'password'}}");
        }
        Value realm = v.getMember("realm");
        if (realm == null || !realm.isString() || realm.asString().isBlank()) {
            throw bad("config.auth.realm must be a non-empty string");
        }
        Map<String, String> users = new LinkedHashMap<>();
        Value u = v.getMember("users");
        if (u != null && !u.isNull()) {
            if (!u.hasMembers() || u.hasArrayElements()) {
                throw bad("config.auth.users must be an object {name: 'password'}");
            }
            for (String name : u.getMemberKeys()) {
                Value p = u.getMember(name);
                if (!p.isString()) {
                    throw bad("config.auth.users." + name + " must be a string (the password)");
                }
                users.put(name, p.asString());
            }
        }
        List<DigestAlgorithm> algorithms = AuthConfig.DEFAULT_ALGORITHMS;
        Value a = v.getMember("algorithms");
        if (a != null && !a.isNull()) {
            algorithms = algorithms(a);
        }
        for (String key : v.getMemberKeys()) {
            if (!key.equals("realm") && !key.equals("users") && !key.equals("algorithms")) {
                throw bad("unknown config.auth key '" + key + "' (realm, users, algorithms)");
            }
        }
        return new AuthConfig(realm.asString(), users, algorithms);
    }

    /** {@code ['SHA-256', 'MD5']}: tokens of RFC 8760, case-insensitive, each once, at least one. */
    private List<DigestAlgorithm> algorithms(Value a) throws ScriptException {
        String usage = "config.auth.algorithms must be a non-empty array of 'SHA-256', 'SHA-512-256', 'MD5'";
        if (!a.hasArrayElements() || a.getArraySize() == 0) {
            throw bad(usage);
        }
        List<DigestAlgorithm> out = new ArrayList<>();
        for (long i = 0; i < a.getArraySize(); i++) {
            Value e = a.getArrayElement(i);
            DigestAlgorithm alg = e.isString() ? DigestAlgorithm.fromToken(e.asString()).orElse(null) : null;
            if (alg == null) {
                throw bad(usage + ", not " + e);
            }
            if (out.contains(alg)) {
                throw bad("config.auth.algorithms names " + alg.token() + " twice");
            }
            out.add(alg);
        }
        return out;
    }

    private List<String> strings(Value v, String what) throws ScriptException {
        if (!v.hasArrayElements()) {
            throw bad(what + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (long i = 0; i < v.getArraySize(); i++) {
            Value e = v.getArrayElement(i);
            if (!e.isString()) {
                throw bad(what + " must be an array of strings");
            }
            out.add(e.asString());
        }
        return out;
    }

    private ScriptException bad(String message) {
        Matcher m = DECLARATION.matcher(text);
        int line = 0;
        int column = 0;
        if (m.find()) {
            int start = m.start();
            line = 1;
            int lineStart = 0;
            for (int i = 0; i < start; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            column = start - lineStart + 1;
        }
        return new ScriptException(new ScriptError(file, line, column, message, ScriptError.Kind.BAD_CONFIG));
    }
}
