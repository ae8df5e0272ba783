package sip.message.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import sip.message.SipDate;
import sip.message.Violation;

/**
 * The Date header: RFC 1123 {@code wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT
 * ":" 2DIGIT SP "GMT"} (RFC 3261 §20.17, §25.1). Other forms are {@link Violation#INVALID_DATE};
 * a lenient parse then reads them as best it can.
 */
final class SipDateParser {
    private SipDateParser() {}

    private static final String[] WKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final long INVALID = Long.MIN_VALUE;

    /** Consumes the whole value (it contains a comma, so it is never split). */
    static SipDate parse(ValueReader in, ParseContext ctx) {
        byte[] b = in.buffer();
        int s = in.position();
        int e = in.end();
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r' || b[e - 1] == '\n')) {
            e--;
        }
        long epoch = strict(b, s, e);
        if (epoch == INVALID) {
            String raw = Folding.unfold(b, s, e);
            ctx.tolerate(Violation.INVALID_DATE, raw, s);
            epoch = bestEffort(raw);
            if (epoch == INVALID) {
                // The header itself stays in the message verbatim; only its typed view fails.
                throw new ParseFailure("unreadable Date \"" + raw + "\" (the raw header text is kept)", s);
            }
        }
        in.position(in.end());
        return new SipDate(java.time.Instant.ofEpochSecond(epoch));
    }

    /** The instant in epoch seconds, or {@link #INVALID} if not exactly rfc1123-date. */
    static long strict(byte[] b, int s, int e) {
        if (e - s != 29 || b[s + 3] != ',' || b[s + 4] != ' ' || b[s + 7] != ' ' || b[s + 11] != ' '
            || b[s + 16] != ' ' || b[s + 19] != ':' || b[s + 22] != ':' || b[s + 25] != ' '
            || !ascii3(b, s + 26, "GMT")) {
            return INVALID;
        }
        int wk = index(WKDAYS, b, s);
        int month = index(MONTHS, b, s + 8);
        int day = digits(b, s + 5, 2);
        int year = digits(b, s + 12, 4);
        int hh = digits(b, s + 17, 2);
        int mm = digits(b, s + 20, 2);
        int ss = digits(b, s + 23, 2);
        if (wk < 0 || month < 0 || day < 0 || year < 0 || hh < 0 || mm < 0 || ss < 0) {
            return INVALID;
        }
        LocalDate d = date(year, month + 1, day);
        if (d == null || d.getDayOfWeek().ordinal() != wk || hh > 23 || mm > 59 || ss > 59) {
            return INVALID;
        }
        return d.toEpochDay() * 86400L + hh * 3600L + mm * 60L + ss;
    }

    /**
     * Reads dates that are off the grammar but unambiguous: any case, extra whitespace, a
     * missing or wrong weekday, a 2-digit year, RFC 822 zones (EST...) or numeric offsets.
     */
    static long bestEffort(String raw) {
        int day = -1;
        int month = -1;
        int year = -1;
        int hh = -1;
        int mm = 0;
        int ss = 0;
        int offsetSeconds = 0;
        boolean zone = false;
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            int j = i;
            while (j < n && raw.charAt(j) != ' ' && raw.charAt(j) != '\t' && raw.charAt(j) != ',') {
                j++;
            }
            String t = raw.substring(i, j);
            i = j;
            if (t.indexOf(':') > 0) {
                if (hh >= 0) {
                    return INVALID;
                }
                int c1 = t.indexOf(':');
                int c2 = t.indexOf(':', c1 + 1);
                hh = small(t.substring(0, c1));
                mm = small(c2 < 0 ? t.substring(c1 + 1) : t.substring(c1 + 1, c2));
                ss = c2 < 0 ? 0 : small(t.substring(c2 + 1));
                if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) {
                    return INVALID;
                }
                ss = Math.min(ss, 59);
            } else if ((t.charAt(0) == '+' || t.charAt(0) == '-') && t.length() == 5 && hh >= 0) {
                int v = small(t.substring(1));
                if (v < 0 || zone) {
                    return INVALID;
                }
                int sec = (v / 100) * 3600 + (v % 100) * 60;
                offsetSeconds = t.charAt(0) == '+' ? sec : -sec;
                zone = true;
            } else if (Character.isDigit(t.charAt(0))) {
                int v = small(t);
                if (v < 0) {
                    return INVALID;
                }
                if (t.length() == 4 && year < 0) {
                    year = v;
                } else if (t.length() <= 2 && day < 0) {
                    day = v;
                } else if (t.length() == 2 && year < 0) {
                    year = v < 50 ? 2000 + v : 1900 + v; // RFC 850's two-digit years
                } else {
                    return INVALID;
                }
            } else {
                int m = prefixIndex(MONTHS, t);
                if (m >= 0 && month < 0) {
                    month = m;
                } else if (prefixIndex(WKDAYS, t) >= 0 && month < 0 && day < 0) {
                    continue; // a weekday says nothing the date does not
                } else if (hh >= 0 && !zone) {
                    Integer z = zone(t);
                    if (z == null) {
                        return INVALID;
                    }
                    offsetSeconds = z;
                    zone = true;
                } else {
                    return INVALID;
                }
            }
        }
        if (day < 0 || month < 0 || year < 0 || hh < 0) {
            return INVALID;
        }
        LocalDate d = date(year, month + 1, day);
        if (d == null) {
            return INVALID;
        }
        return d.toEpochDay() * 86400L + hh * 3600L + mm * 60L + ss - offsetSeconds;
    }

    private static Integer zone(String t) {
        return switch (t.toUpperCase(java.util.Locale.ROOT)) {
            case "GMT", "UT", "UTC", "Z" -> 0;
            case "EDT" -> -4 * 3600;
            case "EST", "CDT" -> -5 * 3600;
            case "CST", "MDT" -> -6 * 3600;
            case "MST", "PDT" -> -7 * 3600;
            case "PST" -> -8 * 3600;
            default -> null;
        };
    }

    private static LocalDate date(int year, int month, int day) {
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException x) {
            return null;
        }
    }

    private static int small(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int prefixIndex(String[] names, String t) {
        if (t.length() < 3) {
            return -1;
        }
        for (int i = 0; i < names.length; i++) {
            if (t.regionMatches(true, 0, names[i], 0, 3)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean ascii3(byte[] b, int at, String s) {
        return b[at] == s.charAt(0) && b[at + 1] == s.charAt(1) && b[at + 2] == s.charAt(2);
    }

    private static int index(String[] names, byte[] b, int at) {
        for (int i = 0; i < names.length; i++) {
            if (ascii3(b, at, names[i])) {
                return i;
            }
        }
        return -1;
    }

    private static int digits(byte[] b, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
}
