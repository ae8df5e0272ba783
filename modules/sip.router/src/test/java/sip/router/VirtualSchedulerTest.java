package sip.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    @Test
    void runsTasksInDueOrderAtTheirOwnTime() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> log = new ArrayList<>();
        s.schedule(Duration.ofMillis(500), () -> log.add("b@" + s.elapsed().toMillis()));
        s.schedule(Duration.ofMillis(100), () -> {
            log.add("a@" + s.elapsed().toMillis());
            s.schedule(Duration.ofMillis(100), () -> log.add("c@" + s.elapsed().toMillis()));
        });
        assertEquals(0, s.advance(Duration.ofMillis(99)));
        assertEquals(3, s.advance(Duration.ofMillis(401)));
        assertEquals(List.of("a@100", "c@200", "b@500"), log);
        assertEquals(500, s.elapsed().toMillis());
    }

    @Test
    void cancelledTasksDoNotRun() {
        VirtualScheduler s = new VirtualScheduler();
        boolean[] ran = new boolean[1];
        Scheduler.Timer t = s.schedule(Duration.ofSeconds(1), () -> ran[0] = true);
        assertTrue(t.cancel());
        assertFalse(t.cancel());
        s.advance(Duration.ofSeconds(2));
        assertFalse(ran[0]);
        assertEquals(0, s.pending());
    }
}
