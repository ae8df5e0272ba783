package sip.router;

/**
 * The states of the four transaction machines of RFC 3261 §17 with the RFC 6026 Accepted state.
 * Client INVITE: CALLING → PROCEEDING → COMPLETED (3xx–6xx) or ACCEPTED (2xx) → TERMINATED.
 * Client non-INVITE: TRYING → PROCEEDING → COMPLETED → TERMINATED. Server INVITE: PROCEEDING →
 * COMPLETED → CONFIRMED, or ACCEPTED after a 2xx → TERMINATED. Server non-INVITE: TRYING →
 * PROCEEDING → COMPLETED → TERMINATED.
 */
public enum TransactionState {
    CALLING,
    TRYING,
    PROCEEDING,
    COMPLETED,
    CONFIRMED,
    ACCEPTED,
    TERMINATED
}
