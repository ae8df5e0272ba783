package sip.interop.browser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line the browser driver ({@code interop-tests/ws/browser/driver.mjs}) printed: a JSON
 * object with its {@code event} name and the fields the page reported with it
 * ({@code {"event":"ended","originator":"local","cause":"Terminated"}}).
 *
 * @param name the {@code event} field
 * @param fields every field: strings, numbers (as {@code Double}), booleans, {@code null}, lists
 * @param line the line as printed, for failure messages
 */
record BrowserEvent(String name, Map<String, Object> fields, String line) {

    /** Parses one line; throws {@link IllegalArgumentException} when it is not a JSON object with an event. */
    static BrowserEvent parse(String line) {
        JsonReader reader = new JsonReader(line);
        if (!(reader.value() instanceof Map<?, ?> object) || !(object.get("event") instanceof String name)) {
            throw new IllegalArgumentException("not an event: " + line);
        }
        reader.end();
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) object;
        return new BrowserEvent(name, fields, line);
    }

    /** The string field {@code key}, or null. */
    String text(String key) {
        return fields.get(key) instanceof String s ? s : null;
    }

    /** The number field {@code key} (a status, a close code, a time in epoch milliseconds); fails when absent. */
    long number(String key) {
        if (!(fields.get(key) instanceof Double d)) {
            throw new AssertionError("no number " + key + " in " + line);
        }
        return d.longValue();
    }

    /** The list field {@code key} (empty when absent). */
    List<?> list(String key) {
        return fields.get(key) instanceof List<?> l ? l : List.of();
    }

    /** Just enough JSON for what the driver prints (RFC 8259 values; no surrogate-pair checks). */
    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Object value() {
            skipSpace();
            char c = peek();
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        void end() {
            skipSpace();
            if (i != s.length()) {
                throw error("trailing text");
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skipSpace();
            if (peek() == '}') {
                i++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == '}') {
                    i++;
                    return map;
                }
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skipSpace();
            if (peek() == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ']') {
                    i++;
                    return list;
                }
                expect(',');
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (char c; (c = next()) != '"'; ) {
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);   // \" \\ \/
                }
            }
            return b.toString();
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character");
            }
            return Double.valueOf(s.substring(start, i));
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return value;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String why) {
            return new IllegalArgumentException(why + " at " + i + " of " + s);
        }
    }
}
