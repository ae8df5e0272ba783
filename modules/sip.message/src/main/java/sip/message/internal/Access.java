package sip.message.internal;

import sip.message.Parameters;

/**
 * Lets the implementation reach the few non-public constructors of API classes without making
 * them public (the JDK's SharedSecrets pattern). Set once by the API classes' static
 * initialisers.
 */
public final class Access {
    private Access() {}

    /** What the API classes open to the implementation. */
    public interface Api {
        /** Wraps the arrays, without copying, as {@link Parameters}. */
        Parameters parameters(String[] names, String[] values, boolean[] quoted);
    }

    private static volatile Api api;

    public static void set(Api a) {
        api = a;
    }

    public static Api api() {
        Api a = api;
        if (a == null) {
            // Touching the class runs its static initialiser, which calls set().
            Parameters.EMPTY.size();
            a = api;
        }
        return a;
    }
}
