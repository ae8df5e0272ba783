package sip.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An immutable, ordered list of {@code ;name=value} parameters (of a URI, Via, name-addr,
 * media type, ...). Names compare case-insensitively; a parameter without a value (such as
 * {@code lr}) has the value {@code null} in {@link #value(String)} and is present for
 * {@link #has(String)}. Values are kept as written, without surrounding quotes for quoted
 * strings (see {@link #isQuoted(int)}); URI parameters are stored unescaped.
 */
public final class Parameters {
    /** No parameters. */
    public static final Parameters EMPTY = new Parameters(new String[0], new String[0], new boolean[0]);

    static {
        sip.message.internal.Access.set(Parameters::wrap);
    }

    private final String[] names;
    private final String[] values;
    private final boolean[] quoted;

    private Parameters(String[] names, String[] values, boolean[] quoted) {
        this.names = names;
        this.values = values;
        this.quoted = quoted;
    }

    /** Internal factory: takes ownership of the arrays. */
    static Parameters wrap(String[] names, String[] values, boolean[] quoted) {
        return names.length == 0 ? EMPTY : new Parameters(names, values, quoted);
    }

    /** Parameters from alternating names and values ({@code null} value for a flag). */
    public static Parameters of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        Parameters p = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p = p.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int i) {
        return names[i];
    }

    /** The value at index {@code i}; null for a flag parameter. */
    public String valueAt(int i) {
        return values[i];
    }

    /** True when the value at {@code i} was (or is to be) written as a quoted string. */
    public boolean isQuoted(int i) {
        return quoted[i];
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * The value of the first parameter named {@code name}: empty if absent; an empty string for
     * a flag parameter present without a value.
     */
    public Optional<String> get(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return Optional.empty();
        }
        return Optional.of(values[i] == null ? "" : values[i]);
    }

    /** The value of {@code name}, or null when absent or a flag. */
    public String value(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    /** The names, in order. */
    public List<String> names() {
        return Collections.unmodifiableList(Arrays.asList(names));
    }

    /**
     * A copy with {@code name} set to {@code value} (null for a flag): replaces the first
     * parameter of that name or appends.
     *
     * @throws IllegalArgumentException if the name is not a token or either holds CR/LF
     */
    public Parameters with(String name, String value) {
        if (!sip.message.internal.Grammar.isToken(name)) {
            throw new IllegalArgumentException("parameter name must be a token: \"" + name + "\"");
        }
        if (value != null) {
            sip.message.internal.Grammar.requireNoCrLf("parameter value", value);
        }
        boolean q = value != null && !value.isEmpty() && needsQuotes(value);
        int i = indexOf(name);
        if (i >= 0) {
            String[] v = values.clone();
            boolean[] qq = quoted.clone();
            v[i] = value;
            qq[i] = q;
            return new Parameters(names, v, qq);
        }
        String[] n = Arrays.copyOf(names, names.length + 1);
        String[] v = Arrays.copyOf(values, values.length + 1);
        boolean[] qq = Arrays.copyOf(quoted, quoted.length + 1);
        n[names.length] = name;
        v[values.length] = value;
        qq[quoted.length] = q;
        return new Parameters(n, v, qq);
    }

    /**
     * A copy with {@code name} set to {@code value} written as a quoted string whatever it holds,
     * as auth parameters such as Digest {@code nonce}, {@code realm}, {@code uri} and
     * {@code response} must be (RFC 3261 §25.1, RFC 7616).
     *
     * @throws IllegalArgumentException if the name is not a token or either holds CR/LF
     */
    public Parameters withQuoted(String name, String value) {
        java.util.Objects.requireNonNull(value, "value");
        Parameters p = with(name, value);
        int i = p.indexOf(name);
        if (p.quoted[i]) {
            return p;
        }
        boolean[] qq = p.quoted.clone();
        qq[i] = true;
        return new Parameters(p.names, p.values, qq);
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!sip.message.internal.Grammar.is(c, sip.message.internal.Grammar.TOKEN)
                && c != ':' && c != '[' && c != ']') {
                return true;
            }
        }
        return false;
    }

    /** A copy without any parameter named {@code name}. */
    public Parameters without(String name) {
        if (indexOf(name) < 0) {
            return this;
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                keep.add(i);
            }
        }
        String[] n = new String[keep.size()];
        String[] v = new String[keep.size()];
        boolean[] qq = new boolean[keep.size()];
        for (int k = 0; k < n.length; k++) {
            int i = keep.get(k);
            n[k] = names[i];
            v[k] = values[i];
            qq[k] = quoted[i];
        }
        return wrap(n, v, qq);
    }

    /** Writes {@code ;name=value...} as for a header (quoted values re-quoted with escapes). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    /** Appends {@code ;name=value...} to {@code sb}. */
    public void appendTo(StringBuilder sb) {
        for (int i = 0; i < names.length; i++) {
            sb.append(';').append(names[i]);
            if (values[i] != null) {
                sb.append('=');
                if (quoted[i]) {
                    sip.message.internal.HeaderQuoting.appendQuoted(sb, values[i]);
                } else {
                    sb.append(values[i]);
                }
            }
        }
    }

    /** Equal when the same names (ignoring case) map to the same values, in the same order. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parameters p) || p.names.length != names.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equalsIgnoreCase(p.names[i]) || !java.util.Objects.equals(values[i], p.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < names.length; i++) {
            h = 31 * h + names[i].toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + java.util.Objects.hashCode(values[i]);
        }
        return h;
    }
}
