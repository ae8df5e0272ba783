package sip.router.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sip.router.dialog.DialogBed.ALICE;
import static sip.router.dialog.DialogBed.ANSWER;
import static sip.router.dialog.DialogBed.BOB;
import static sip.router.dialog.DialogBed.OFFER;
import static sip.router.dialog.DialogBed.uri;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.ContentType;
import sip.router.ClientDialog;
import sip.router.DialogEnd;
import sip.router.DialogStats;
import sip.router.ServerDialog;
import sip.router.UserAgent;

/**
 * The dialog state machines under seeded random orderings: a lossy, duplicating, reordering
 * network, and each side choosing at random how to answer, whether to cancel, who hangs up,
 * whether to re-INVITE, and when. Whatever happens, every dialog ends, each side's counts add
 * up (created = ended + live) and return to zero, and so do the transactions. A failing seed
 * replays the same choices and the same network fates.
 */
@Timeout(120)
class DialogOrderingsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void everyOrderingEndsEveryDialog(long seed) throws Exception {
        Random random = new Random(seed);
        try (DialogBed bed = new DialogBed(b -> b.seed(seed).loss(0.15).duplication(0.05).reorder(0.05))) {
            UserAgent alice = bed.agent(ALICE, b -> b.maxDialogDuration(Duration.ofMinutes(2)));
            UserAgent bob = bed.agent(BOB, b -> b.maxDialogDuration(Duration.ofMinutes(2)));
            BlockingQueue<ServerDialog> incoming = new LinkedBlockingQueue<>();
            bob.server().supported("100rel").onDialog(incoming::add);

            ClientDialog call = alice.client().invite(uri("bob", BOB), ContentType.APPLICATION_SDP, OFFER);
            advanceUntil(bed, () -> !incoming.isEmpty() || call.answered().isDone(), Duration.ofSeconds(40));
            ServerDialog callee = incoming.poll();
            if (callee != null) {
                play(bed, random, call, callee);
            }
            if (random.nextBoolean() && call.answered().isDone() && call.answered().join().statusCode() == 200) {
                call.reinvite(ContentType.APPLICATION_SDP, OFFER);
                bed.advance(Duration.ofMillis(random.nextInt(3000)));
            }
            switch (random.nextInt(3)) {
                case 0 -> call.bye();
                case 1 -> {
                    if (callee != null) {
                        callee.bye();
                    }
                }
                default -> {
                    // nobody hangs up: maxDialogDuration does
                }
            }
            bed.advance(Duration.ofMinutes(4));

            bed.until(() -> call.terminated().isDone(), "the caller's dialog ended");
            if (callee != null) {
                bed.until(() -> callee.terminated().isDone(), "the callee's dialog ended");
            }
            for (UserAgent ua : new UserAgent[] {alice, bob}) {
                DialogStats s = ua.dialogStats();
                long ended = s.terminated().values().stream().mapToLong(Long::longValue).sum();
                assertEquals(s.created(), ended + s.live(), () -> ua.name() + " counts add up: " + s);
            }
            bed.assertIdle(alice, bob);
            assertTrue(call.terminated().join().reason() != null);
        }
    }

    /** The callee's random part: ring or not, reliably or not, answer, reject or ignore; the caller may cancel. */
    private static void play(DialogBed bed, Random random, ClientDialog call, ServerDialog callee) {
        try {
            switch (random.nextInt(4)) {
                case 0 -> callee.respond(180);
                case 1 -> callee.respondReliably(183, ContentType.APPLICATION_SDP, ANSWER);
                default -> {
                }
            }
            bed.advance(Duration.ofMillis(random.nextInt(2000)));
            if (random.nextInt(4) == 0) {
                call.cancel();
                bed.advance(Duration.ofMillis(random.nextInt(1000)));
            }
            switch (random.nextInt(5)) {
                case 0 -> callee.respond(486);
                case 1 -> {
                    // never answered here: the CANCEL, the handler timeout or close ends it
                }
                default -> callee.respond(200, ContentType.APPLICATION_SDP, ANSWER);
            }
        } catch (IllegalStateException e) {
            // TransactionEndedException (cancelled, timed out, answered meanwhile) or a reliable
            // 1xx refused: the orderings this test is after
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        bed.advance(Duration.ofMillis(random.nextInt(3000)));
    }

    private static void advanceUntil(DialogBed bed, BooleanSupplier condition, Duration max) {
        Duration step = Duration.ofMillis(250);
        for (Duration spent = Duration.ZERO; spent.compareTo(max) < 0 && !condition.getAsBoolean(); spent = spent.plus(step)) {
            bed.advance(step);
        }
    }
}
