package sip.message;

import java.util.Objects;
import sip.message.internal.Grammar;

/**
 * A SIP request method: an open value type. The RFC 3261 methods and the common extensions are
 * constants; any other token is an extension method made with {@link #of(String)}.
 *
 * <p>Methods are case-sensitive (RFC 3261 §7.1): {@code "invite"} is an extension method, not
 * {@link #INVITE}. Two methods are equal when their names are equal.
 */
public final class Method {
    public static final Method INVITE = new Method("INVITE", true);
    public static final Method ACK = new Method("ACK", true);
    public static final Method BYE = new Method("BYE", true);
    public static final Method CANCEL = new Method("CANCEL", true);
    public static final Method OPTIONS = new Method("OPTIONS", true);
    public static final Method REGISTER = new Method("REGISTER", true);
    /** RFC 3262. */
    public static final Method PRACK = new Method("PRACK", true);
    /** RFC 6665. */
    public static final Method SUBSCRIBE = new Method("SUBSCRIBE", true);
    /** RFC 6665. */
    public static final Method NOTIFY = new Method("NOTIFY", true);
    /** RFC 3903. */
    public static final Method PUBLISH = new Method("PUBLISH", true);
    /** RFC 6086. */
    public static final Method INFO = new Method("INFO", true);
    /** RFC 3515. */
    public static final Method REFER = new Method("REFER", true);
    /** RFC 3428. */
    public static final Method MESSAGE = new Method("MESSAGE", true);
    /** RFC 3311. */
    public static final Method UPDATE = new Method("UPDATE", true);

    /** The constants, for lookups; internal code shares this array, never modifies it. */
    static final Method[] KNOWN = {
        INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PRACK, SUBSCRIBE, NOTIFY, PUBLISH, INFO,
        REFER, MESSAGE, UPDATE
    };

    private final String name;
    private final boolean known;

    private Method(String name, boolean known) {
        this.name = name;
        this.known = known;
    }

    /**
     * The method named {@code name}: a constant when it is one, otherwise an extension method.
     *
     * @throws IllegalArgumentException if {@code name} is not an RFC 3261 token
     */
    public static Method of(String name) {
        Objects.requireNonNull(name, "name");
        for (Method m : KNOWN) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        if (!Grammar.isToken(name)) {
            throw new IllegalArgumentException("not a SIP method token: \"" + name + "\"");
        }
        return new Method(name, false);
    }

    /** The method's name exactly as on the wire. */
    public String name() {
        return name;
    }

    /** True for the constants of this class; false for extension methods. */
    public boolean isKnown() {
        return known;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Method m && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
