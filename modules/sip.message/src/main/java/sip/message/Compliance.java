package sip.message;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which {@link Violation}s a parser tolerates. Anything not allowed here is rejected as
 * malformed with status 400. Immutable.
 */
public final class Compliance {
    /** Tolerates nothing: every violation is a 400. */
    public static final Compliance STRICT = new Compliance("strict", EnumSet.noneOf(Violation.class));
    /** Tolerates what RFC 4475 and RFC 5118 allow a liberal element to accept. The default. */
    public static final Compliance LENIENT = new Compliance("lenient", EnumSet.allOf(Violation.class));

    private final String name;
    private final EnumSet<Violation> allowed;

    private Compliance(String name, EnumSet<Violation> allowed) {
        this.name = name;
        this.allowed = allowed;
    }

    /** A custom profile that tolerates exactly {@code allowed}. */
    public static Compliance allowing(Set<Violation> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        EnumSet<Violation> copy = allowed.isEmpty() ? EnumSet.noneOf(Violation.class) : EnumSet.copyOf(allowed);
        return new Compliance("custom" + copy, copy);
    }

    public boolean allows(Violation v) {
        return allowed.contains(v);
    }

    /** The tolerated violations (a copy). */
    public Set<Violation> allowed() {
        return EnumSet.copyOf(allowed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compliance c && c.allowed.equals(allowed);
    }

    @Override
    public int hashCode() {
        return allowed.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
