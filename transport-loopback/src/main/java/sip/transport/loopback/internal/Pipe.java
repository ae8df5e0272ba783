package sip.transport.loopback.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a {@code mem-stream} connection: what was sent, in send order. A segment is
 * deliverable once it and every segment before it have arrived, so a message with a short delay
 * waits behind one with a long delay (head-of-line blocking, as on TCP) and the stream stays in
 * order whatever the delays. Guarded by the network's lock; bounded by the network's capacity.
 */
final class Pipe {

    /** One send (or the end of the stream) on its way. */
    static final class Segment {
        private final Parcel parcel;
        private boolean arrived;
        private boolean withdrawn;

        private Segment(Parcel parcel) {
            this.parcel = parcel;
        }
    }

    private final ArrayDeque<Segment> segments = new ArrayDeque<>();

    Segment add(Parcel parcel) {
        Segment s = new Segment(parcel);
        segments.add(s);
        return s;
    }

    /** Marks {@code segment} arrived and returns what became deliverable, in order. */
    List<Parcel> arrive(Segment segment) {
        if (segment.withdrawn) {
            return List.of();
        }
        segment.arrived = true;
        return ready();
    }

    /**
     * Takes back a segment that will never arrive (the scheduler refused it), so that those behind
     * it are not held up for ever; returns what became deliverable, or null if it had arrived already.
     */
    List<Parcel> withdraw(Segment segment) {
        if (segment.arrived) {
            return null;
        }
        segment.withdrawn = true;
        segments.remove(segment);
        return ready();
    }

    private List<Parcel> ready() {
        List<Parcel> ready = new ArrayList<>();
        while (!segments.isEmpty() && segments.peek().arrived) {
            ready.add(segments.poll().parcel);
        }
        return ready;
    }
}
