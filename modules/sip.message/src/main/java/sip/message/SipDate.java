package sip.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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

    private static final String[] WKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    /**
     * The rfc1123-date wire form, {@code Sat, 13 Nov 2010 23:29:00 GMT}. Written by hand because
     * {@code DateTimeFormatter.RFC_1123_DATE_TIME} drops the day's leading zero, which RFC 3261
     * §25.1 ({@code date1 = 2DIGIT ...}) requires.
     */
    @Override
    public String toString() {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29).append(WKDAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int y = t.getYear();
        if (y >= 0 && y < 1000) {
            sb.append(y < 10 ? "000" : y < 100 ? "00" : "0");
        }
        sb.append(y).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        return two(sb, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
