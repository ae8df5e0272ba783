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
        segment.arrived = true;
        List<Parcel> ready = new ArrayList<>();
        while (!segments.isEmpty() && segments.peek().arrived) {
            ready.add(segments.poll().parcel);
        }
        return ready;
    }
}
