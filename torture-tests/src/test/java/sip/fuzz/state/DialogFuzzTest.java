package sip.fuzz.state;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sip.message.CSeq;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.Method;
import sip.message.NameAddress;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.ClientDialog;
import sip.router.Dialog;
import sip.router.DialogState;
import sip.router.ServerDialog;

/**
 * The dialog layer (RFC 3261 §12–§15, RFC 3262) against the adversarial peer of
 * {@link TransactionFuzzTest}, with dialogs on both sides: the UA answers INVITEs through
 * {@link ServerDialog}s (provisional, reliable provisional, 2xx, rejection, BYE, re-INVITE,
 * INFO, as the fuzzer says) and places calls with {@code Client.invite} (cancelled, hung up,
 * re-INVITEd, or kept); the peer adds in-dialog requests with right, old or future CSeqs
 * (BYE, INFO, UPDATE, re-INVITE, PRACK with a right or wrong RAck), ACKs for the UA's 2xx
 * (right or wrong CSeq), reliable provisional responses, 491s. Then, on top of
 * {@link TransactionRules}, {@link DialogRules}: every dialog ends and leaves the store,
 * states only move forward, in-dialog CSeqs increase, the callee sends no BYE before the
 * ACK, every 2xx the UA's call gets is ACKed.
 */
class DialogFuzzTest {

    private static final long FIRST_SEED = Long.getLong("parley.fuzz.firstSeed", 0);
    private static final int SEEDS = Integer.getInteger("parley.fuzz.seeds", 100);

    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "60s")
    void dialogsAgainstAdversarialPeer(FuzzedDataProvider data) throws Exception {
        run(Choices.of(data), 40);
    }

    @Test
    void dialogsAgainstAdversarialPeerSeeded() throws Exception {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            run(Choices.seeded(seed), 30);
        }
    }

    static void run(Choices c, int maxSteps) throws Exception {
        Duration maxDialog = Duration.ofMinutes(c.between(1, 10));
        try (PeerBed bed = new PeerBed(b -> b.inviteHandlerTimeout(Duration.ofSeconds(c.between(1, 90)))
                .maxDialogDuration(maxDialog))) {
            // The dialog layer ACKs, PRACKs, BYEs and sends queued re-INVITEs from virtual
            // threads of its own: let each step's reactions out before the clock moves on.
            bed.quietPeriod = Duration.ofMillis(1);
            DialogScenario s = new DialogScenario(c, bed);
            if (c.bool()) {
                bed.ua.server().supported("100rel");
            }
            bed.ua.server().onDialog(d -> {
                s.track(d);
                s.serverDialogs.add(d);
                bed.parked(d.invite());
            });
            int steps = c.between(1, maxSteps);
            for (int i = 0; i < steps; i++) {
                s.step();
            }
            for (PeerBed.Handled h : bed.handled) {
                bed.finish(h, false);
            }
            bed.advance(maxDialog.plus(Duration.ofMinutes(6)));
            // The dialog layer reacts to some events on virtual threads of its own (a queued
            // re-INVITE, the BYE after a 408, a fork's ACK): let what they send go out, then run
            // its timers too.
            bed.quiesce(Duration.ofMillis(5));
            bed.advance(maxDialog.plus(Duration.ofMinutes(6)));
            DialogRules.check(bed, s.all(), s.states);
            TransactionRules.check(bed);
        }
    }

    /** The adversarial peer's steps plus in-dialog ones, and the UA's dialog calls. */
    static final class DialogScenario extends PeerScenario {
        final List<ServerDialog> serverDialogs = new CopyOnWriteArrayList<>();
        final List<ClientDialog> clientDialogs = new ArrayList<>();
        final List<Dialog> forks = new CopyOnWriteArrayList<>();
        final Map<Dialog, List<DialogState>> states = new ConcurrentHashMap<>();

        DialogScenario(Choices c, PeerBed bed) {
            super(c, bed);
        }

        void track(Dialog d) {
            List<DialogState> seen = new CopyOnWriteArrayList<>(List.of(d.state()));
            states.put(d, seen);
            d.onStateChange(seen::add);
        }

        List<Dialog> all() {
            List<Dialog> out = new ArrayList<>(serverDialogs);
            out.addAll(clientDialogs);
            out.addAll(forks);
            return out;
        }

        @Override
        protected int extraSteps() {
            return 6;
        }

        @Override
        protected void extraStep(int kind) throws IOException {
            switch (kind) {
                case 0, 1 -> peerInDialog();
                case 2 -> peerAcksOk();
                case 3, 4 -> uaDialogAction();
                default -> uaCalls();
            }
        }

        /** A request from the peer inside one of the UA's dialogs, its CSeq right, old or ahead. */
        private void peerInDialog() {
            List<Dialog> known = all().stream().filter(d -> d.id().remoteTag() != null).toList();
            if (known.isEmpty()) {
                return;
            }
            Dialog d = c.pick(known);
            Method method = Choices.pickOf(c, Method.BYE, Method.INFO, Method.UPDATE, Method.INVITE, Method.PRACK,
                    Method.OPTIONS, Method.MESSAGE);
            long last = d.remoteSequence().orElse(d instanceof ServerDialog s ? s.invite().cseq().sequence() : 1);
            long cseq = Math.max(1, Choices.pickOf(c, last - 1, last, last + 1, last + 1, last + 7));
            SipRequest.Builder b = SipRequest.builder(method, UA_URI.withParameter("transport", "mem"))
                    .via(Via.of("MEM", "10.0.0.9", 5060, branch()))
                    .from(NameAddress.of(PEER_URI).withTag(d.id().remoteTag()))
                    .to(NameAddress.of(UA_URI).withTag(d.id().localTag()))
                    .callId(d.id().callId())
                    .cseq(cseq)
                    .maxForwards(70);
            if (method.equals(Method.INVITE) || method.equals(Method.UPDATE)) {
                b.contact(Contact.of(PEER_URI.withParameter("transport", "mem")));
            }
            if (method.equals(Method.PRACK)) {
                b.addHeader("RAck", rack(d));
            }
            send(b.build());
        }

        /** The RAck of the last reliable provisional response the UA sent in {@code d}, or a wrong one. */
        private String rack(Dialog d) {
            List<SipResponse> reliable = bed.fromUa().stream()
                    .filter(s -> s.message() instanceof SipResponse r && r.statusCode() > 100 && r.statusCode() < 200
                            && r.callId().equals(d.id().callId()) && r.header("RSeq").isPresent())
                    .map(s -> (SipResponse) s.message()).toList();
            if (reliable.isEmpty() || c.percent(20)) {
                return c.between(1, 3) + " " + c.between(1, 3) + " INVITE";
            }
            SipResponse r = c.pick(reliable);
            long rseq = Long.parseLong(r.header("RSeq").orElseThrow().trim()) + Choices.pickOf(c, 0, 0, 0, 1, -1);
            return rseq + " " + r.cseq().sequence() + " INVITE";
        }

        /** The peer ACKs a 2xx the UA sent to one of its INVITEs (right CSeq, or a wrong one). */
        private void peerAcksOk() {
            List<SipResponse> oks = bed.fromUa().stream()
                    .filter(s -> s.message() instanceof SipResponse r && r.statusCode() / 100 == 2
                            && r.cseq().method().equals(Method.INVITE))
                    .map(s -> (SipResponse) s.message()).toList();
            if (oks.isEmpty()) {
                return;
            }
            SipResponse ok = c.pick(oks);
            send(SipRequest.builder(Method.ACK, UA_URI.withParameter("transport", "mem"))
                    .via(Via.of("MEM", "10.0.0.9", 5060, branch()))
                    .from(ok.from())
                    .to(ok.to())
                    .callId(ok.callId())
                    .set(HeaderType.CSEQ, new CSeq(ok.cseq().sequence() + (c.percent(85) ? 0 : 1), Method.ACK))
                    .maxForwards(70)
                    .build());
        }

        /** The UA acts in one of its dialogs. */
        private void uaDialogAction() throws IOException {
            List<Dialog> dialogs = all();
            if (dialogs.isEmpty()) {
                return;
            }
            Dialog d = c.pick(dialogs);
            try {
                switch (c.between(0, 6)) {
                    case 0, 1 -> {
                        if (d instanceof ServerDialog s) {
                            s.respond(c.pick(List.of(180, 183, 200, 200, 486, 603)));
                        } else if (d instanceof ClientDialog cd) {
                            cd.cancel();
                        }
                    }
                    case 2 -> {
                        if (d instanceof ServerDialog s) {
                            s.respondReliably(Choices.pickOf(c, 180, 183), null, null);
                        }
                    }
                    case 3 -> d.bye();
                    case 4 -> d.reinvite(null, null);
                    default -> d.request(d.newRequest(Choices.pickOf(c, Method.INFO, Method.UPDATE, Method.MESSAGE))
                            .build());
                }
            } catch (IllegalStateException refused) { // TransactionEndedException included
                // documented refusals: the INVITE is answered, the dialog not in a state for it
            } catch (NullPointerException e) {
                // Finding D1 (DialogFindingsTest.byeOnACallThatNeverGotAnAnswer): bye() on a client
                // dialog that ended without any response throws NPE. Stepped around; remove once fixed.
                if (!(d instanceof ClientDialog && d.id().remoteTag() == null && d.state() == DialogState.TERMINATED)) {
                    throw new AssertionError("undocumented " + e + " from a " + d.getClass().getSimpleName()
                            + " in state " + d.state() + " " + d.id() + TransactionRules.trace(bed), e);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("undocumented " + e + " from a " + d.getClass().getSimpleName() + " in state "
                        + d.state() + " " + d.id() + TransactionRules.trace(bed), e);
            }
            bed.settle();
        }

        /** The UA places a call through the dialog API, keeping forks or not. */
        private void uaCalls() {
            SipRequest invite = bed.ua.client().newRequest(Method.INVITE, PEER_URI.withParameter("transport", "mem"))
                    .build();
            ClientDialog call = bed.ua.client().invite(invite);
            track(call);
            if (c.bool()) {
                call.onFork(f -> {
                    track(f);
                    forks.add(f);
                });
            }
            clientDialogs.add(call);
            bed.settle();
        }
    }
}
