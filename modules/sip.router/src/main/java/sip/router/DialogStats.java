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
 * @param legsRefused responses whose new To tag was not made a dialog because their INVITE
 *     already had the most dialogs one INVITE may create (16, early and forked together): such a
 *     1xx is dropped (no PRACK), such a 2xx is ACKed and otherwise ignored (no dialog, no BYE)
 */
public record DialogStats(int pending, int early, int confirmed, long created,
                          Map<DialogEnd.Reason, Long> terminated, long legsRefused) {

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
