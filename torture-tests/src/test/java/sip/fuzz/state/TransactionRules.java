package sip.fuzz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import sip.message.Method;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.message.SipParser;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.Via;
import sip.router.ClientTransaction;
import sip.router.TransactionStats;

/**
 * What must hold after a {@link PeerBed} run, whatever the peer did: the SIP rules for every
 * message the UA sent (RFC 3261 §8.2.6, §9, §17), and the lifetime rules of the stack (live
 * counts back to zero, every client transaction completed, nothing dropped as broken).
 */
final class TransactionRules {
    private static final SipParser STRICT = SipParser.strict();
    private static final Duration T4 = Duration.ofSeconds(5);
    private static final Duration TIMER_J = Duration.ofSeconds(32);

    private TransactionRules() {
    }

    static void check(PeerBed bed) {
        assertEquals(List.of(), bed.problems, "problems off the test's thread");
        for (PeerBed.Sent s : bed.fromUa()) {
            sentMessage(bed, s);
        }
        perServerTransaction(bed);
        finalResponsesStopAtTheAck(bed);
        clientTransactionsCompleted(bed);
        PeerBed.await(() -> bed.ua.stats().liveTransactions() == 0,
                () -> "live transactions after every timer ran out: " + bed.ua.stats() + trace(bed));
        TransactionStats s = bed.ua.stats();
        assertEquals(0, s.malformedDropped(), () -> "well-formed messages dropped as broken: " + s + trace(bed));
    }

    private static void sentMessage(PeerBed bed, PeerBed.Sent s) {
        String text = new String(s.bytes(), StandardCharsets.UTF_8);
        if (!(STRICT.parse(s.bytes().clone()) instanceof ParseResult.Parsed)) {
            fail("the UA sent a message the strict parser refuses: " + STRICT.parse(s.bytes().clone()) + "\n" + text);
        }
        switch (s.message()) {
            case SipResponse r -> response(bed, s, r);
            case SipRequest r -> request(bed, s, r);
        }
    }

    /** RFC 3261 §8.2.6: a response copies Via, From, Call-ID, CSeq and To, and tags To. */
    private static void response(PeerBed bed, PeerBed.Sent s, SipResponse r) {
        Supplier<String> where = () -> " (#" + s.index() + " " + r.status() + " " + r.cseq() + ")" + trace(bed);
        assertTrue(r.statusCode() >= 100 && r.statusCode() <= 699, () -> "status out of range" + where.get());
        assertTrue(!r.cseq().method().equals(Method.ACK), () -> "a response to an ACK" + where.get());
        List<SipRequest> candidates = bed.fromPeer().stream()
                .filter(p -> p.index() < s.index() && p.message() instanceof SipRequest q
                        && q.topVia().branch().equals(r.topVia().branch()) && q.cseq().equals(r.cseq()))
                .map(p -> (SipRequest) p.message()).toList();
        assertTrue(!candidates.isEmpty(), () -> "a response to no request the peer sent" + where.get());
        boolean matched = candidates.stream().anyMatch(q -> sameVias(q, r) && q.callId().equals(r.callId())
                && q.from().equals(r.from()) && q.to().uri().equals(r.to().uri())
                && (q.toTag() == null || q.toTag().equals(r.toTag())));
        assertTrue(matched, () -> "Via, From, Call-ID, CSeq or To not copied from the request" + where.get());
        if (r.statusCode() != 100) {
            assertNotNull(r.toTag(), () -> "no To tag on a response other than 100 (§8.2.6.2)" + where.get());
        }
    }

    private static boolean sameVias(SipRequest q, SipResponse r) {
        List<Via> a = q.vias();
        List<Via> b = r.vias();
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Via x = a.get(i);
            Via y = b.get(i);
            if (!Objects.equals(x.branch(), y.branch()) || !x.sentBy().equalsIgnoreCase(y.sentBy())
                    || !x.transport().equalsIgnoreCase(y.transport())) {
                return false;
            }
        }
        return true;
    }

    /** §9.1 and §17.1.1.3: CANCEL only after a provisional; the non-2xx ACK on the INVITE's branch. */
    private static void request(PeerBed bed, PeerBed.Sent s, SipRequest r) {
        Supplier<String> where = () -> " (#" + s.index() + " " + r.method() + " " + r.topVia().branch() + ")" + trace(bed);
        String branch = r.topVia().branch();
        List<SipRequest> invites = bed.fromUa().stream()
                .filter(u -> u.index() < s.index() && u.isRequest(Method.INVITE)
                        && ((SipRequest) u.message()).topVia().branch().equals(branch))
                .map(u -> (SipRequest) u.message()).toList();
        List<SipResponse> answers = bed.fromPeer().stream()
                .filter(p -> p.index() < s.index() && p.message() instanceof SipResponse a
                        && a.topVia().branch().equals(branch) && a.cseq().method().equals(Method.INVITE))
                .map(p -> (SipResponse) p.message()).toList();
        if (r.method().equals(Method.CANCEL)) {
            assertTrue(!invites.isEmpty(), () -> "a CANCEL not on the branch of an INVITE sent" + where.get());
            SipRequest invite = invites.getFirst();
            assertEquals(invite.cseq().sequence(), r.cseq().sequence(), () -> "CANCEL CSeq number" + where.get());
            assertEquals(invite.callId(), r.callId(), () -> "CANCEL Call-ID" + where.get());
            assertEquals(invite.requestUri(), r.requestUri(), () -> "CANCEL Request-URI" + where.get());
            assertTrue(answers.stream().anyMatch(a -> a.statusCode() < 200),
                    () -> "CANCEL before any provisional response (§9.1)" + where.get());
        } else if (r.method().equals(Method.ACK) && !invites.isEmpty()) {
            // Same branch as its INVITE: the ACK of a non-2xx final response (§17.1.1.3).
            assertTrue(answers.stream().anyMatch(a -> a.statusCode() >= 300
                            && Objects.equals(a.toTag(), r.toTag())),
                    () -> "an ACK on the INVITE's branch for no non-2xx final response with its To tag" + where.get());
        }
    }

    /**
     * One server transaction sends one final response (repeated as is), nothing provisional after
     * it, and one To tag. The wire does not say which transaction a response belongs to, so a
     * copy of the request arriving once the transaction must have ended starts afresh (it may
     * legitimately make a new transaction with the same branch): for an INVITE with a non-2xx
     * final, Timer I (T4) after the ACK on its branch or Timer H (64×T1) after the final; with
     * a 2xx, Timer L (64×T1); for other requests, Timer J (64×T1).
     */
    private static void perServerTransaction(PeerBed bed) {
        Map<String, Answered> finals = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        for (PeerBed.Sent s : bed.log) {
            SipMessage m = s.message();
            String key = PeerBed.key(m);
            if (!s.fromUa()) {
                Answered last = finals.get(key);
                if (last != null && m instanceof SipRequest q) {
                    if (q.method().equals(Method.ACK) && last.ackAt == null) {
                        last.ackAt = s.at();
                    } else if (!q.method().equals(Method.ACK) && s.at().compareTo(last.endsBy()) >= 0) {
                        finals.remove(key);
                        tags.remove(key);
                    }
                }
                continue;
            }
            if (!(m instanceof SipResponse r)) {
                continue;
            }
            Supplier<String> where = () -> " (#" + s.index() + " " + r.status() + " " + r.cseq() + ")" + trace(bed);
            Answered last = finals.get(key);
            if (last != null) {
                assertTrue(r.statusCode() >= 200, () -> "a provisional response after the final " + last.response.status()
                        + where.get());
                assertEquals(last.response.statusCode(), r.statusCode(), () -> "two different final responses" + where.get());
            } else if (r.statusCode() >= 200 && !statelessCancelAnswer(r)) {
                // (a stateless 481 belongs to no transaction: a CANCEL copy arriving later may
                // find an INVITE to match and get its 200)
                finals.put(key, new Answered(r, s.at()));
            }
            // (a stateless 481 is not part of the transaction a later copy of its CANCEL may
            // match; StateFindingsTest.statelessAnswerKeepsItsToTag covers its own tag)
            if (r.statusCode() != 100 && r.toTag() != null && !statelessCancelAnswer(r)) {
                String first = tags.putIfAbsent(key, r.toTag());
                assertTrue(first == null || first.equals(r.toTag()),
                        () -> "To tag changed within one transaction: " + first + " then " + r.toTag() + where.get());
            }
        }
    }

    private static boolean statelessCancelAnswer(SipResponse r) {
        return r.statusCode() == 481 && r.cseq().method().equals(Method.CANCEL);
    }

    /** The final response of a server transaction, when it went, and when the ACK on its branch came. */
    private static final class Answered {
        final SipResponse response;
        final Duration at;
        Duration ackAt;

        Answered(SipResponse response, Duration at) {
            this.response = response;
            this.at = at;
        }

        /** When the transaction has surely ended. */
        Duration endsBy() {
            Duration timeout = at.plus(TIMER_J);
            boolean nonTwoHundredInvite = response.cseq().method().equals(Method.INVITE) && response.statusCode() >= 300;
            if (nonTwoHundredInvite && ackAt != null && ackAt.plus(T4).compareTo(timeout) < 0) {
                return ackAt.plus(T4);
            }
            return timeout;
        }
    }

    /**
     * RFC 3261 §17.2.1 (a non-2xx final response stops at the ACK on its branch) and §13.3.1.4
     * (a 2xx stops at the ACK of its dialog: Call-ID, tags, CSeq number): after that ACK the UA
     * sends the response again only to answer a copy of the INVITE arriving just before.
     */
    private static void finalResponsesStopAtTheAck(PeerBed bed) {
        List<PeerBed.Sent> log = bed.log;
        java.util.Set<String> inviteBranches = new java.util.HashSet<>();
        for (PeerBed.Sent p : bed.fromPeer()) {
            if (p.isRequest(Method.INVITE)) {
                inviteBranches.add(p.message().topVia().branch());
            }
        }
        for (PeerBed.Sent s : log) {
            if (!s.fromUa() || !(s.message() instanceof SipResponse r) || r.statusCode() < 200
                    || !r.cseq().method().equals(Method.INVITE)) {
                continue;
            }
            String key = PeerBed.key(r);
            boolean firstCopy = log.subList(0, s.index()).stream().noneMatch(e -> e.fromUa()
                    && e.message() instanceof SipResponse x && PeerBed.key(x).equals(key)
                    && x.statusCode() == r.statusCode() && Objects.equals(x.toTag(), r.toTag()));
            if (!firstCopy) {
                continue; // the transaction's lifetime counts from its first final response
            }
            boolean ambiguous = r.statusCode() < 300 && log.stream().anyMatch(e -> e.fromUa()
                    && e.message() instanceof SipResponse x && x.statusCode() / 100 == 2
                    && !PeerBed.key(x).equals(key) && x.cseq().equals(r.cseq()) && x.callId().equals(r.callId())
                    && Objects.equals(x.toTag(), r.toTag()) && Objects.equals(x.fromTag(), r.fromTag()));
            if (ambiguous) {
                continue; // two INVITE transactions with one dialog and CSeq: one ACK cannot tell them apart
            }
            PeerBed.Sent ack = log.stream().filter(a -> a.index() > s.index() && !a.fromUa() && a.isRequest(Method.ACK)
                    && acks(r, (SipRequest) a.message(), inviteBranches)).findFirst().orElse(null);
            if (ack == null) {
                continue;
            }
            // The transaction lasts 64×T1 from its first final, a non-2xx one only T4 past its ACK.
            Duration end = s.at().plus(TIMER_J);
            if (r.statusCode() >= 300 && ack.at().plus(T4).compareTo(end) < 0) {
                end = ack.at().plus(T4);
            }
            for (PeerBed.Sent later : log.subList(ack.index() + 1, log.size())) {
                if (later.fromUa() && later.message() instanceof SipResponse again && PeerBed.key(again).equals(key)
                        && again.statusCode() == r.statusCode() && Objects.equals(again.toTag(), r.toTag())
                        && later.at().compareTo(end) < 0) {
                    // (the same To tag and within 64×T1 of this response: a later transaction on
                    // the same branch has a tag of its own, unless the request carried one)
                    PeerBed.Sent before = log.get(later.index() - 1);
                    assertTrue(!before.fromUa() && before.isRequest(Method.INVITE)
                                    && PeerBed.key(before.message()).equals(key),
                            () -> r.status() + " sent again (#" + later.index() + ") after its ACK (#" + ack.index() + ")"
                                    + trace(bed));
                }
            }
        }
    }

    private static boolean acks(SipResponse r, SipRequest ack, java.util.Set<String> inviteBranches) {
        if (r.statusCode() >= 300) {
            return PeerBed.key(ack).equals(PeerBed.key(r));
        }
        // An ACK on the branch of one of the peer's INVITEs belongs to that INVITE's transaction
        // first (§17.2.3), whatever dialog it names.
        return !inviteBranches.contains(ack.topVia().branch()) && ack.callId().equals(r.callId()) && ack.cseq().sequence() == r.cseq().sequence()
                && Objects.equals(ack.toTag(), r.toTag()) && Objects.equals(ack.fromTag(), r.fromTag());
    }

    private static void clientTransactionsCompleted(PeerBed bed) {
        for (ClientTransaction tx : bed.clientTransactions) {
            SipResponse final_;
            try {
                final_ = tx.response().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("a client transaction completed exceptionally" + trace(bed), e.getCause());
            } catch (TimeoutException | InterruptedException e) {
                throw new AssertionError("a client transaction never completed: " + tx.request().method() + " "
                        + tx.state() + trace(bed));
            }
            SipResponse answer = final_;
            Supplier<String> where = () -> " (" + tx.request().method() + " " + tx.request().topVia().branch()
                    + " got " + answer.status() + ")" + trace(bed);
            assertTrue(final_.statusCode() >= 200, () -> "a provisional response as the final one" + where.get());
            assertEquals(tx.request().cseq(), final_.cseq(), () -> "final response of another CSeq" + where.get());
            assertEquals(tx.request().callId(), final_.callId(), () -> "final response of another Call-ID" + where.get());
            for (SipResponse p : tx.provisionalResponses()) {
                assertTrue(p.statusCode() < 200, () -> "a final response among the provisional ones" + where.get());
            }
        }
    }

    /** The whole conversation, for a failure message. */
    static String trace(PeerBed bed) {
        StringBuilder sb = new StringBuilder("\n--- wire ---\n");
        for (PeerBed.Sent s : bed.log) {
            String first = new String(s.bytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            SipMessage m = s.message();
            sb.append('#').append(s.index()).append(' ').append(s.at().toMillis()).append("ms ")
                    .append(s.fromUa() ? "UA->peer " : "peer->UA ").append(first);
            if (m != null) {
                sb.append(" | ").append(m.cseq()).append(" | ").append(m.topVia().branch())
                        .append(" | ").append(m.callId()).append(" | to-tag ").append(m.toTag());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
