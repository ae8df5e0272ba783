package sip.interop.browser;

import java.util.List;
import java.util.Map;
import sip.interop.ws.Json;

/**
 * One line the browser driver ({@code interop-tests/ws/browser/driver.mjs}) printed: a JSON
 * object with its {@code event} name and the fields the page reported with it
 * ({@code {"event":"ended","originator":"local","cause":"Terminated"}}).
 *
 * @param name the {@code event} field
 * @param fields every field, as {@link Json} reads them
 * @param line the line as printed, for failure messages
 */
record BrowserEvent(String name, Map<String, Object> fields, String line) {

    /** Parses one line; throws {@link IllegalArgumentException} when it is not a JSON object with an event. */
    static BrowserEvent parse(String line) {
        Map<String, Object> fields = Json.object(line);
        if (!(fields.get("event") instanceof String name)) {
            throw new IllegalArgumentException("no event in " + line);
        }
        return new BrowserEvent(name, fields, line);
    }

    /** Whether {@code line} is an event called {@code name}. */
    static boolean is(String line, String name) {
        try {
            return line.startsWith("{") && name.equals(Json.object(line).get("event"));
        } catch (IllegalArgumentException notJson) {
            return false;
        }
    }

    /** The string field {@code key}, or null. */
    String text(String key) {
        return fields.get(key) instanceof String s ? s : null;
    }

    /** The number field {@code key} (a status, a close code, a time in epoch milliseconds); fails when absent. */
    long number(String key) {
        if (!(fields.get(key) instanceof Number n)) {
            throw new AssertionError("no number " + key + " in " + line);
        }
        return n.longValue();
    }

    /** The list field {@code key} (empty when absent). */
    List<?> list(String key) {
        return fields.get(key) instanceof List<?> l ? l : List.of();
    }
}
