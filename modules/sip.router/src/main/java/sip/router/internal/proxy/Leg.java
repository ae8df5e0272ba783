package sip.router.internal.proxy;

import sip.router.ClientTransaction;
import sip.router.Scheduler;
import sip.router.proxy.Branch;

/**
 * The state of one branch inside a {@link RelayContext}; every field is guarded by the context's
 * monitor.
 */
final class Leg {

    final Branch branch;
    /** Null until the branch's request is sent. */
    ClientTransaction tx;
    /** Any provisional response arrived (a CANCEL can go out). */
    boolean trying;
    /** A provisional response above 100 arrived (Timer C then cancels rather than gives up). */
    boolean ringing;
    /** A final response arrived, or the branch was given up locally (a 408 of our own). */
    boolean done;
    /** Cancelled by the proxy: the CANCEL goes out once the transaction can send it. */
    boolean cancelWanted;
    Scheduler.Timer timerC;
    Scheduler.Timer branchTimer;
    Scheduler.Timer cancelTimer;

    Leg(Branch branch) {
        this.branch = branch;
    }

    void cancelTimers() {
        for (Scheduler.Timer t : new Scheduler.Timer[] {timerC, branchTimer, cancelTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
        timerC = null;
        branchTimer = null;
        cancelTimer = null;
    }

    @Override
    public String toString() {
        return "branch " + branch.index() + " to " + branch.target().uri();
    }
}
