package sip.message;

import java.util.Objects;

/**
 * The Event value (RFC 6665 §8.2.1).
 *
 * @param eventType the event package and template, e.g. {@code "presence"} or
 *     {@code "presence.winfo"}
 * @param parameters the parameters ({@code id}, ...)
 */
public record Event(String eventType, Parameters parameters) {
    public Event {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(parameters, "parameters");
        sip.message.internal.Grammar.requireNoCrLf("Event", eventType);
    }

    /** The id parameter, or null. */
    public String id() {
        return parameters.value("id");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(eventType);
        parameters.appendTo(sb);
        return sb.toString();
    }
}
