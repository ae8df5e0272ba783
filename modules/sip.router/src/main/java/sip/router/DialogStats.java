package sip.router;

import java.util.Map;

/**
 * A snapshot of a user agent's dialog store: live counts (terminated dialogs leave the store at
 * once) and counters since the user agent started.
 *
 * @param pending live dialogs with no dialog-creating response yet (client INVITEs waiting,
 *     server INVITEs not yet answered)
 * @param early live early dialogs (one per To tag of the 1xx responses of a forked INVITE)
 * @param confirmed live confirmed dialogs
 * @param created dialogs created (forks and early dialogs each count once)
 * @param terminated dialogs ended, by reason
 */
public record DialogStats(int pending, int early, int confirmed, long created,
                          Map<DialogEnd.Reason, Long> terminated) {

    public DialogStats {
        terminated = Map.copyOf(terminated);
    }

    /** Every live dialog, whatever its state. */
    public int live() {
        return pending + early + confirmed;
    }

    /** How many ended for {@code reason}. */
    public long terminated(DialogEnd.Reason reason) {
        return terminated.getOrDefault(reason, 0L);
    }
}
