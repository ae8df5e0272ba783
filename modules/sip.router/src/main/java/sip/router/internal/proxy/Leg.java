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
    /** The Max-Breadth this branch's copy carries: its share of the request's (RFC 5393). */
    final int breadth;
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
    /** No longer wanted: its request goes to no further destination (RFC 3263 §4.3). */
    boolean failoverStopped;
    Scheduler.Timer timerC;
    Scheduler.Timer branchTimer;
    /** RelayOptions#responseTimeout: cancelled by the branch's first response of any kind. */
    Scheduler.Timer responseTimer;
    Scheduler.Timer cancelTimer;

    Leg(Branch branch, int breadth) {
        this.branch = branch;
        this.breadth = breadth;
    }

    void cancelTimers() {
        for (Scheduler.Timer t : new Scheduler.Timer[] {timerC, branchTimer, responseTimer, cancelTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
        timerC = null;
        branchTimer = null;
        responseTimer = null;
        cancelTimer = null;
    }

    @Override
    public String toString() {
        return "branch " + branch.index() + " to " + branch.target().uri();
    }
}
