package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Dialog;
import sip.router.DialogEnd;
import sip.router.DialogState;
import sip.router.DialogStats;

/**
 * What must hold for dialogs after a {@link DialogFuzzTest} run, whatever the peer did (RFC 3261
 * §12–§15): every dialog ends and leaves the store; states only move forward and end in
 * TERMINATED; the CSeq of the UA's requests in a dialog increases; a callee sends no BYE for a
 * dialog whose 2xx it has not sent, nor before its ACK arrived or 64×T1 passed; every 2xx the
 * peer sends to one of the UA's INVITEs is ACKed.
 */
final class DialogRules {
    private static final long TIMER_H_NANOS = TimeUnit.SECONDS.toNanos(32);

    private DialogRules() {
    }

    static void check(PeerBed bed, List<Dialog> dialogs, Map<Dialog, List<DialogState>> states) {
        PeerBed.await(() -> bed.ua.dialogStats().live() == 0,
                () -> "live dialogs after every timer ran out: " + bed.ua.dialogStats() + TransactionRules.trace(bed));
        for (Dialog d : dialogs) {
            DialogEnd end;
            try {
                end = d.terminated().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("a dialog never completed terminated(): " + d.id() + " " + d.state()
                        + TransactionRules.trace(bed), e);
            }
            assertEquals(DialogState.TERMINATED, d.state(), () -> d.id() + " ended " + end);
            List<DialogState> seen = states.get(d);
            if (seen != null) {
                PeerBed.await(() -> seen.getLast() == DialogState.TERMINATED,
                        () -> "onStateChange never told TERMINATED: " + seen + " " + d.id());
                for (int i = 1; i < seen.size(); i++) {
                    int at = i;
                    assertTrue(seen.get(i).compareTo(seen.get(i - 1)) > 0,
                            () -> "dialog states went " + seen + " (" + d.id() + ", index " + at + ")"
                                    + TransactionRules.trace(bed));
                }
            }
        }
        DialogStats s = bed.ua.dialogStats();
        long ended = s.terminated().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(s.created(), ended, () -> "dialogs created but not counted as ended: " + s);
        cseqIncreases(bed);
        calleeByeAfterAck(bed);
        everyTwoHundredAcked(bed);
    }

    /** §12.2.1.1: the CSeq of each new request the UA sends in a dialog is higher than the last. */
    private static void cseqIncreases(PeerBed bed) {
        Map<String, Long> last = new HashMap<>();
        Set<String> branches = new HashSet<>();
        Set<String> byeSent = new HashSet<>();
        for (PeerBed.Sent s : bed.fromUa()) {
            if (!(s.message() instanceof SipRequest r) || r.toTag() == null || r.method().equals(Method.ACK)
                    || r.method().equals(Method.CANCEL) || !branches.add(r.topVia().branch())) {
                continue;
            }
            String dialog = r.callId() + ";" + r.fromTag() + ";" + r.toTag();
            if (r.method().equals(Method.BYE)) {
                byeSent.add(dialog);
            } else if (r.method().equals(Method.INVITE) && byeSent.contains(dialog)) {
                // Finding D2 (DialogFindingsTest.queuedReinviteIsNotSentInADeadDialog): a queued
                // re-INVITE goes out after the dialog's BYE, with the lower CSeq it reserved.
                // Stepped around so fuzzing gets past it; remove once fixed.
                continue;
            }
            Long before = last.put(dialog, r.cseq().sequence());
            assertTrue(before == null || r.cseq().sequence() > before,
                    () -> r.method() + " with CSeq " + r.cseq() + " after " + before + " in " + dialog
                            + " (#" + s.index() + ")" + TransactionRules.trace(bed));
        }
    }

    /**
     * §15: the callee "MUST NOT send a BYE on a confirmed dialog until it has received an ACK for
     * its 2xx response or until the server transaction times out", and never on an early one.
     */
    private static void calleeByeAfterAck(PeerBed bed) {
        for (PeerBed.Sent s : bed.fromUa()) {
            if (!s.isRequest(Method.BYE)) {
                continue;
            }
            SipRequest bye = (SipRequest) s.message();
            // A dialog where the UA is the callee: the peer's INVITE had this Call-ID and From tag.
            boolean callee = bed.fromPeer().stream().anyMatch(p -> p.isRequest(Method.INVITE)
                    && p.message().callId().equals(bye.callId()) && p.message().toTag() == null
                    && Objects.equals(p.message().fromTag(), bye.toTag()));
            if (!callee) {
                continue;
            }
            List<PeerBed.Sent> oks = bed.fromUa().stream().filter(o -> o.index() < s.index()
                    && o.message() instanceof SipResponse r && r.statusCode() / 100 == 2
                    && r.cseq().method().equals(Method.INVITE) && r.callId().equals(bye.callId())
                    && Objects.equals(r.toTag(), bye.fromTag())).toList();
            assertTrue(!oks.isEmpty(), () -> "the callee sent a BYE (#" + s.index() + ") on a dialog it never sent a 2xx"
                    + " for (§15)" + TransactionRules.trace(bed));
            PeerBed.Sent firstOk = oks.getFirst();
            boolean acked = bed.fromPeer().stream().anyMatch(p -> p.index() < s.index() && p.isRequest(Method.ACK)
                    && p.message().callId().equals(bye.callId())
                    && Objects.equals(p.message().toTag(), bye.fromTag()));
            boolean timedOut = s.at().minus(firstOk.at()).toNanos() >= TIMER_H_NANOS;
            assertTrue(acked || timedOut, () -> "the callee sent a BYE (#" + s.index() + ") before the ACK of its 2xx"
                    + " and before 64*T1 (§15)" + TransactionRules.trace(bed));
        }
    }

    /** §13.2.2.4: the UAC core ACKs every 2xx to its INVITE (forks included). */
    private static void everyTwoHundredAcked(PeerBed bed) {
        for (PeerBed.Sent s : bed.fromPeer()) {
            if (!(s.message() instanceof SipResponse ok) || ok.statusCode() / 100 != 2
                    || !ok.cseq().method().equals(Method.INVITE) || ok.toTag() == null) {
                continue;
            }
            // Only a 2xx that answers an INVITE the UA sent through the dialog API, on its branch.
            // (Client.invite adds Supported: 100rel; a plain Client.request INVITE is the application's to ACK.)
            boolean ours = bed.fromUa().stream().anyMatch(u -> u.index() < s.index() && u.isRequest(Method.INVITE)
                    && u.message().header("Supported").orElse("").contains("100rel")
                    && ((SipRequest) u.message()).topVia().branch().equals(ok.topVia().branch())
                    && u.message().cseq().equals(ok.cseq()) && u.message().callId().equals(ok.callId()));
            // A 2xx after a non-2xx final on the same INVITE (a forking proxy forwards late 2xx,
            // §16.7 step 5) meets a transaction already Completed; what then is left open by
            // RFC 3261 and RFC 6026, so only 2xx arriving before any non-2xx final are checked.
            boolean afterRejection = bed.fromPeer().stream().anyMatch(p -> p.index() < s.index()
                    && p.message() instanceof SipResponse r && r.statusCode() >= 300
                    && r.topVia().branch().equals(ok.topVia().branch()) && r.cseq().equals(ok.cseq()));
            // Likewise a 2xx arriving once Timer B (64×T1 with no provisional) ended the
            // transaction with a local 408.
            PeerBed.Sent sentAt = bed.fromUa().stream().filter(u -> u.isRequest(Method.INVITE)
                    && ((SipRequest) u.message()).topVia().branch().equals(ok.topVia().branch())).findFirst().orElse(null);
            boolean ringing = bed.fromPeer().stream().anyMatch(p -> p.index() < s.index()
                    && p.message() instanceof SipResponse r && r.statusCode() < 200
                    && r.topVia().branch().equals(ok.topVia().branch()));
            boolean afterTimerB = sentAt != null && !ringing && s.at().minus(sentAt.at()).toNanos() >= TIMER_H_NANOS;
            if (!ours || afterRejection || afterTimerB) {
                continue;
            }
            boolean acked = bed.fromUa().stream().anyMatch(u -> u.index() > s.index() && u.isRequest(Method.ACK)
                    && u.message().callId().equals(ok.callId()) && Objects.equals(u.message().toTag(), ok.toTag())
                    && u.message().cseq().sequence() == ok.cseq().sequence());
            assertTrue(acked, () -> "a 2xx (#" + s.index() + ") to the UA's INVITE was never ACKed (§13.2.2.4)"
                    + TransactionRules.trace(bed));
        }
    }
}
