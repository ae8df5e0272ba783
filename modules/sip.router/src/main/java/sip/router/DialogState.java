package sip.router;

/**
 * Where a {@link Dialog} is in its life (RFC 3261 §12). States only move forward:
 * {@code PENDING → EARLY → CONFIRMED → TERMINATED}, any of them possibly skipped but the last.
 */
public enum DialogState {
    /**
     * No dialog-creating response yet: the INVITE is sent (client) or received (server) but no
     * 101–299 response with a To tag was received or sent.
     */
    PENDING,
    /** A 101–199 response with a To tag was received or sent (§12.1). */
    EARLY,
    /**
     * A 2xx was received (client; the ACK is then sent at once) or sent (server, §12.1.1: the
     * dialog is confirmed when the 2xx goes out; {@link ServerDialog#acked()} tells the ACK).
     */
    CONFIRMED,
    /** Over: {@link Dialog#terminated()} says why. */
    TERMINATED
}
