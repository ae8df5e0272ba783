package sip.router.internal.transaction;

import sip.message.SipRequest;
import sip.message.Via;

/**
 * A server transaction's id (RFC 3261 §17.2.3). The method is the transaction's: ACK looks up
 * {@code INVITE}, a CANCEL looks up {@code CANCEL} for its own transaction and {@code INVITE} for
 * the one it cancels (§9.2).
 */
sealed interface ServerKey {

    /** Branch with the magic cookie: branch, sent-by and method; allocation-light on purpose. */
    record Rfc3261(String branch, String host, int port, String method) implements ServerKey {
        @Override
        public ServerKey anyMethod() {
            return new Rfc3261(branch, host, port, "");
        }
    }

    /**
     * RFC 2543 peers (no cookie, or a bare one as in RFC 4475 badbranch): Request-URI, To tag,
     * From tag, Call-ID, CSeq and top Via must equal those of the request that made the
     * transaction.
     */
    record Rfc2543(String requestUri, String toTag, String fromTag, String callId, long cseq,
                   String method, String via) implements ServerKey {
        @Override
        public ServerKey anyMethod() {
            return new Rfc2543(requestUri, toTag, fromTag, callId, cseq, "", via);
        }
    }

    /**
     * How an RFC 2543 ACK finds its INVITE transaction: as {@link Rfc2543} without the To tag
     * (the ACK's is the one our response added; checked separately) and without the method.
     */
    record Rfc2543Ack(String requestUri, String fromTag, String callId, long cseq, String via) {
        static Rfc2543Ack of(SipRequest request) {
            return new Rfc2543Ack(request.requestUri().toString(), request.fromTag(), request.callId(),
                    request.cseq().sequence(), viaIdentity(request.topVia()));
        }
    }

    /**
     * The ACK of a 2xx (RFC 3261 §13.2.2.4): a new transaction with its own branch, so it is
     * recognised by dialog identifiers and CSeq number instead.
     */
    record Ack2xx(String callId, long cseq, String fromTag, String toTag) {
    }

    /**
     * This key with the method left out: how a CANCEL finds the non-INVITE transaction it matches
     * without knowing its method (§9.2).
     */
    ServerKey anyMethod();

    /** The key of {@code request} seen as a request of transaction method {@code method}. */
    static ServerKey of(SipRequest request, String method) {
        Via via = request.topVia();
        if (via.hasRfc3261Branch()) {
            return new Rfc3261(via.branch(), lowerAscii(via.host()), sentByPort(via), method);
        }
        return new Rfc2543(request.requestUri().toString(), request.toTag(), request.fromTag(),
                request.callId(), request.cseq().sequence(), method, viaIdentity(via));
    }

    /**
     * Host names compare case-insensitively (RFC 3261 §19.1.4); copied only when it has upper
     * case, which on the hot path it seldom has.
     */
    private static String lowerAscii(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return host.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return host;
    }

    /** A missing sent-by port is the transport's default (§18.2.1), so 5060 equals none on UDP. */
    private static int sentByPort(Via via) {
        if (via.port() >= 0) {
            return via.port();
        }
        return via.transport().equalsIgnoreCase("TLS") ? 5061 : 5060;
    }

    /**
     * The parts of a Via a retransmission repeats; received and rport are left out since the
     * transport layer stamps them on arrival.
     */
    private static String viaIdentity(Via via) {
        return via.transport() + ' ' + via.sentBy() + ';' + via.branch();
    }
}
