package sip.router.internal.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.router.ServerTransaction;

/**
 * One request the proxy received, from its arrival to its relay: whether it was relayed, the
 * context relaying it, and a CANCEL that may come at any point in between (RFC 3261 §16.10).
 * A CANCEL before the relay is answered {@code 487} here; after it, the context cancels its
 * branches.
 */
final class Arrival {

    private static final Logger log = LoggerFactory.getLogger(Arrival.class);

    final ProxyImpl owner;
    final ServerTransaction tx;
    /** The loop-detection hash of the route-processed request, for the branches' Vias. */
    volatile String loopHash;
    private boolean relayed;
    private boolean cancelled;
    private RelayContext context;

    Arrival(ProxyImpl owner, ServerTransaction tx) {
        this.owner = owner;
        this.tx = tx;
    }

    /**
     * Marks the request relayed.
     *
     * @return false when a CANCEL came first (and was answered 487)
     * @throws IllegalStateException if it was relayed already
     */
    synchronized boolean startRelay() {
        if (relayed) {
            throw new IllegalStateException("this request was relayed already: " + tx);
        }
        relayed = true;
        return !cancelled;
    }

    /** The context now relaying; true when a CANCEL arrived meanwhile (the context must cancel). */
    synchronized boolean relaying(RelayContext c) {
        context = c;
        return cancelled;
    }

    /** The CANCEL of this INVITE arrived (the transaction layer answered it 200). */
    void onCancel() {
        RelayContext c;
        boolean answer;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            c = context;
            answer = !relayed;
        }
        if (c != null) {
            c.cancel();
        } else if (answer) {
            try {
                tx.respond(tx.responseBuilder(487).build());
            } catch (Exception e) {
                log.debug("487 for a CANCEL before the relay not sent: {}", e.toString());
            }
        }
    }

    synchronized boolean isRelayed() {
        return relayed;
    }
}
