package sip.router.internal.transaction;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import sip.message.SipRequest;

/**
 * The live server transactions and the ways requests find them (RFC 3261 §17.2.3): by
 * {@link ServerKey}; an RFC 2543 ACK by its INVITE's identifiers and the To tag our response
 * carried; the ACK of a 2xx we keep resending, by dialog identifiers and CSeq number. Entries
 * leave when their transaction terminates, so the size is the live count.
 */
final class ServerTable {

    private final ConcurrentHashMap<ServerKey, ServerMachine> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServerKey.Rfc2543Ack, InviteServerMachine> legacyInvites =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServerKey.Ack2xx, InviteServerMachine> awaitingAck =
            new ConcurrentHashMap<>();
    /** Non-INVITE transactions other than CANCEL's own, by key without method: CANCEL matching. */
    private final ConcurrentHashMap<ServerKey, NonInviteServerMachine> cancellable = new ConcurrentHashMap<>();

    ServerMachine get(ServerKey key) {
        return byKey.get(key);
    }

    /** Adds {@code machine} unless a transaction with its key is live; false then. */
    boolean add(ServerMachine machine) {
        if (byKey.putIfAbsent(machine.key, machine) != null) {
            return false;
        }
        if (machine.key instanceof ServerKey.Rfc2543 && machine instanceof InviteServerMachine invite) {
            legacyInvites.put(ServerKey.Rfc2543Ack.of(machine.request), invite);
        }
        if (machine instanceof NonInviteServerMachine other && isCancellable(other)) {
            cancellable.put(machine.key.anyMethod(), other);
        }
        return true;
    }

    void remove(ServerMachine machine) {
        byKey.remove(machine.key, machine);
        if (machine.key instanceof ServerKey.Rfc2543 && machine instanceof InviteServerMachine invite) {
            legacyInvites.remove(ServerKey.Rfc2543Ack.of(machine.request), invite);
        }
        if (machine instanceof NonInviteServerMachine other && isCancellable(other)) {
            cancellable.remove(machine.key.anyMethod(), other);
        }
    }

    private static boolean isCancellable(NonInviteServerMachine machine) {
        return !machine.request.method().equals(sip.message.Method.CANCEL);
    }

    /** The transaction, INVITE or not, that a CANCEL with {@code key} (method CANCEL) matches. */
    ServerMachine cancelled(SipRequest cancel) {
        ServerMachine invite = byKey.get(ServerKey.of(cancel, "INVITE"));
        return invite != null ? invite : cancellable.get(ServerKey.of(cancel, ""));
    }

    /** The INVITE transaction an ACK belongs to by §17.2.3 (non-2xx ACKs), or null. */
    InviteServerMachine inviteOf(SipRequest ack) {
        if (ack.topVia().hasRfc3261Branch()) {
            return byKey.get(ServerKey.of(ack, "INVITE")) instanceof InviteServerMachine invite ? invite : null;
        }
        InviteServerMachine invite = legacyInvites.get(ServerKey.Rfc2543Ack.of(ack));
        return invite != null && Objects.equals(invite.sentToTag, ack.toTag()) ? invite : null;
    }

    /** The INVITE transaction resending the 2xx this ACK acknowledges, or null. */
    InviteServerMachine resending(SipRequest ack) {
        return awaitingAck.get(new ServerKey.Ack2xx(ack.callId(), ack.cseq().sequence(), ack.fromTag(), ack.toTag()));
    }

    void awaitAck(ServerKey.Ack2xx key, InviteServerMachine machine) {
        awaitingAck.put(key, machine);
    }

    void ackArrived(ServerKey.Ack2xx key, InviteServerMachine machine) {
        awaitingAck.remove(key, machine);
    }

    /** Accepted INVITEs still resending their 2xx for want of an ACK. */
    boolean anyAwaitingAck() {
        return !awaitingAck.isEmpty();
    }

    int size() {
        return byKey.size();
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    Collection<ServerMachine> all() {
        return byKey.values();
    }
}
