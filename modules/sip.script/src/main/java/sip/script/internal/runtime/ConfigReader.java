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
import sip.script.AuthConfig;
import sip.script.ScriptConfig;
import sip.script.ScriptError;
import sip.script.ScriptException;

/** Reads {@code export const config} (plain data) into a {@link ScriptConfig}, or says what is wrong and where. */
final class ConfigReader {

    private static final Pattern DECLARATION = Pattern.compile("export\\s+(?:const|let|var)\\s+config\\b");
    private static final Pattern LISTEN = Pattern.compile("(?i)(udp|tcp|tls|ws|wss):.+:\\d{1,5}");

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
                    if (!v.isNumber() || !v.fitsInInt() || v.asInt() < 1) {
                        throw bad("config.workers must be a positive integer");
                    }
                    workers = OptionalInt.of(v.asInt());
                }
                default -> throw bad("unknown config key '" + key + "' (listen, domains, auth, workers)");
            }
        }
        return new ScriptConfig(listen, domains, auth, workers);
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
        for (String key : v.getMemberKeys()) {
            if (!key.equals("realm") && !key.equals("users")) {
                throw bad("unknown config.auth key '" + key + "' (realm, users)");
            }
        }
        return new AuthConfig(realm.asString(), users);
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
