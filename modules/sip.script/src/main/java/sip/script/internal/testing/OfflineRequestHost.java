package sip.script.internal.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.proxy.RelayOptions;
import sip.router.proxy.RelayOutcome;
import sip.router.proxy.Target;
import sip.script.internal.runtime.RequestHost;
import sip.transport.spi.Flow;

/**
 * One synthetic request as the JS binding sees it: records the responses it sends upstream, and
 * hands each relay to the test thread ({@link #events()}) instead of a network, so the branches
 * are played out there while the script's worker goes on, as with a real proxy. Thread-safe:
 * the worker and the runtime's failure path may respond while the test thread forwards.
 */
public final class OfflineRequestHost implements RequestHost {

    /** A relay the script asked for, to be played out by the test thread. */
    public record PendingRelay(SipRequest request, List<Target> targets, RelayOptions options,
                               CompletableFuture<RelayOutcome> result) {
    }

    /** Put on {@link #events()} when the handler finished. */
    public static final Object HANDLER_DONE = new Object();

    private final SipRequest request;
    private final Flow flow;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<SipResponse> sent = new ArrayList<>();
    private boolean finalSent;
    private boolean relayed;

    public OfflineRequestHost(SipRequest request, Flow flow) {
        this.request = request;
        this.flow = flow;
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public boolean inDialog() {
        return request.toTag() != null;
    }

    @Override
    public SipResponse.Builder responseBuilder(int code) {
        return SipResponse.builder(request, code);
    }

    @Override
    public synchronized boolean respond(SipResponse response) {
        if (finalSent || relayed) {
            return false;
        }
        sent.add(response);
        finalSent = response.statusCode() >= 200;
        return true;
    }

    @Override
    public CompletableFuture<RelayOutcome> relay(SipRequest relayedRequest, List<Target> targets, RelayOptions options) {
        PendingRelay p;
        synchronized (this) {
            if (relayed) {
                throw new IllegalStateException("the request was relayed already");
            }
            if (finalSent) {
                throw new IllegalStateException("the request was answered already");
            }
            relayed = true;
            p = new PendingRelay(relayedRequest, List.copyOf(targets), options, new CompletableFuture<>());
        }
        events.add(p);
        return p.result();
    }

    /** Sends what the offline proxy forwards upstream for a relay: provisional or the final response. */
    public synchronized void forward(SipResponse response) {
        if (!finalSent) {
            sent.add(response);
            finalSent = response.statusCode() >= 200;
        }
    }

    /** Whether a final response went upstream already (a relay's hooks then cannot add targets). */
    public synchronized boolean finalSent() {
        return finalSent;
    }

    /** Relays asked for, then {@link #HANDLER_DONE}, in the order they happened. */
    public BlockingQueue<Object> events() {
        return events;
    }

    /** The responses sent upstream so far, in order. */
    public synchronized List<SipResponse> sent() {
        return List.copyOf(sent);
    }
}
