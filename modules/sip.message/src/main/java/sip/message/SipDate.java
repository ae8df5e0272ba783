package sip.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The Date value (RFC 3261 §20.17): an RFC 1123 date, always in GMT.
 *
 * @param instant the instant, to the second
 */
public record SipDate(Instant instant) {
    public SipDate {
        Objects.requireNonNull(instant, "instant");
    }

    @Override
    public String toString() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC))
            .replace("Z", "GMT");
    }
}
