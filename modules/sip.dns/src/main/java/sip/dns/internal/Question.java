package sip.dns.internal;

import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One DNS question of class IN: an absolute name and a record type; the cache and single-flight
 * key. dnsjava's {@link Name} compares case-insensitively.
 */
record Question(Name name, int type) {
    Question {
        Objects.requireNonNull(name, "name");
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException("relative name: " + name);
        }
    }

    /** The name without its final dot, as messages show it. */
    String host() {
        String s = name.toString(true);
        return s.isEmpty() ? "." : s;
    }

    String typeName() {
        return Type.string(type);
    }

    @Override
    public String toString() {
        return host() + " " + typeName();
    }
}
