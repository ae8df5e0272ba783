package sip.script.internal.js;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;
import org.slf4j.event.Level;
import sip.router.registrar.Binding;

/**
 * The Java side of what {@code sip} offers independently of the request: {@code sip.log},
 * {@code sip.store}, {@code sip.location.lookup}. One per context. Script mistakes come back as
 * a {@code "TypeError: ..."} / {@code "RangeError: ..."} string the prelude throws.
 */
public final class JsServices {

    private static final Level[] LEVELS = {Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR};

    private final VersionBinding version;

    public JsServices(VersionBinding version) {
        this.version = version;
    }

    @Export public void log(int level, String where, String message) {
        version.host().log(LEVELS[Math.clamp(level, 0, 3)], where.isEmpty() ? version.fileName() : where, message);
    }

    @Export public Object storeGet(String key) {
        return version.store().get(key);
    }

    @Export public String storeSet(String key, Value value, double ttlSeconds) {
        Object v;
        if (value.isString()) {
            v = value.asString();
        } else if (value.isBoolean()) {
            v = value.asBoolean();
        } else if (value.isNumber() && value.fitsInDouble()) {
            v = value.asDouble();
        } else {
            return "TypeError: sip.store values must be strings, numbers or booleans (JSON.stringify objects)";
        }
        try {
            version.store().set(key, v, ttlSeconds);
            return null;
        } catch (IllegalStateException e) {
            return "RangeError: " + e.getMessage();
        }
    }

    @Export public boolean storeDelete(String key) {
        return version.store().delete(key);
    }

    @Export public boolean storeHas(String key) {
        return version.store().has(key);
    }

    /** The new number, or an error message. */
    @Export public Object storeIncr(String key, double delta) {
        try {
            return version.store().incr(key, delta);
        } catch (IllegalArgumentException e) {
            return "TypeError: " + e.getMessage();
        } catch (IllegalStateException e) {
            return "RangeError: " + e.getMessage();
        }
    }

    /** The contacts (JsContact[]), or an error message. */
    @Export public Object lookup(String aorOrUri) {
        try {
            java.time.Instant now = version.now();
            return version.lookup(aorOrUri).stream().map((Binding b) -> new JsContact(b, now)).toArray();
        } catch (RuntimeException e) {
            return "not an address-of-record: '" + aorOrUri + "'";
        }
    }
}
