package sip.router.internal.transaction;

import java.io.IOException;
import java.util.List;
import sip.message.SipMessage;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.router.Destination;
import sip.router.internal.transport.OutboundRequest;
import sip.router.internal.transport.OutboundResponse;
import sip.router.internal.transport.TransportLayer;
import sip.transport.spi.Connection;

/**
 * What the transaction machines need from the transport layer, and nothing more: the narrow seam
 * that lets them be tested with a recording fake while {@link TransportLayer} is built and
 * changed on its own. Contracts are those of the same-named {@link TransportLayer} methods.
 */
interface Wire {

    OutboundRequest prepare(SipRequest request, Destination explicit) throws IOException;

    /** With a branch suffix (a proxy's loop-detection hash); a fake may ignore it. */
    default OutboundRequest prepare(SipRequest request, Destination explicit, String branchSuffix)
            throws IOException {
        return prepare(request, explicit);
    }

    /**
     * The destinations of {@code request} (RFC 3263 §4), for the transaction layer to try in
     * order; null when this wire locates inside {@link #prepare} only (then there is no failover
     * between attempts).
     */
    default List<Destination> locate(SipRequest request) throws IOException {
        return null;
    }

    /** Prepares {@code request} for {@code located}, one of what {@link #locate} returned. */
    default OutboundRequest prepareLocated(SipRequest request, Destination located, String branchSuffix)
            throws IOException {
        return prepare(request, located, branchSuffix);
    }

    OutboundResponse sendResponse(SipResponse response, Connection arrival) throws IOException;

    SipMessage sendStateless(SipMessage message, Connection arrivalOrNull) throws IOException;

    void stopListening();

    void close();

    /** The real transport layer over {@link Wire}. */
    record Transport(TransportLayer layer) implements Wire {
        @Override
        public OutboundRequest prepare(SipRequest request, Destination explicit) throws IOException {
            return layer.prepare(request, explicit);
        }

        @Override
        public OutboundRequest prepare(SipRequest request, Destination explicit, String branchSuffix)
                throws IOException {
            return layer.prepare(request, explicit, branchSuffix);
        }

        @Override
        public List<Destination> locate(SipRequest request) throws IOException {
            return layer.locate(request);
        }

        @Override
        public OutboundRequest prepareLocated(SipRequest request, Destination located, String branchSuffix)
                throws IOException {
            return layer.prepareLocated(request, located, branchSuffix);
        }

        @Override
        public OutboundResponse sendResponse(SipResponse response, Connection arrival) throws IOException {
            return layer.sendResponse(response, arrival);
        }

        @Override
        public SipMessage sendStateless(SipMessage message, Connection arrivalOrNull) throws IOException {
            return layer.sendStateless(message, arrivalOrNull);
        }

        @Override
        public void stopListening() {
            layer.stopListening();
        }

        @Override
        public void close() {
            layer.close();
        }
    }
}
