package sip.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SipTimersTest {

    @Test
    void timeoutIs64TimesT1ToTheNanosecond() {
        assertEquals(Duration.ofSeconds(32), SipTimers.DEFAULT.timeout());
        SipTimers odd = new SipTimers(Duration.ofSeconds(1, 999_999_999), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(1, 999_999_999).multipliedBy(64), odd.timeout());
        SipTimers tiny = new SipTimers(Duration.ofNanos(3), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertEquals(Duration.ofNanos(192), tiny.timeout());
    }

    @Test
    void timerDIsAtLeast32Seconds() {
        SipTimers fast = new SipTimers(Duration.ofMillis(100), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(32), fast.timerD());
        SipTimers slow = new SipTimers(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(64), slow.timerD());
    }

    @Test
    void t2BelowT1IsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new SipTimers(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5)));
    }
}
