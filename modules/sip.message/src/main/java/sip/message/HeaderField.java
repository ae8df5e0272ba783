package sip.message;

import java.util.Objects;

/**
 * One header field as it stands in a message: its name and its value (the text after the colon,
 * with folding replaced by a single space and surrounding whitespace trimmed).
 *
 * @param name the name
 * @param value the value
 */
public record HeaderField(HeaderName name, String value) {
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return name.canonical() + ": " + value;
    }
}
