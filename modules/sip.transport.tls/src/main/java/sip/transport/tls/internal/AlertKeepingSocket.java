package sip.transport.tls.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;

/**
 * The plain socket under a client's {@code SSLSocket}, keeping the server's last words.
 *
 * <p>A TLS 1.2 server that refuses our certificate sends an alert and closes while our records
 * are still arriving; closing with unread data makes its TCP reset the connection. Our next
 * handshake write then fails with "broken pipe", and JSSE, closing up, skips over what is left in
 * the receive buffer (to spare the peer a reset of its own) without reading it: the alert. So
 * while the handshake runs, skipped bytes are read and the first of them kept, and
 * {@link #alert()} finds a plaintext alert record among them.
 */
final class AlertKeepingSocket extends Socket {

    /** TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2) a refused handshake ends with. */
    private static final Map<Integer, String> ALERTS = Map.ofEntries(
            Map.entry(40, "handshake_failure"), Map.entry(42, "bad_certificate"),
            Map.entry(43, "unsupported_certificate"), Map.entry(44, "certificate_revoked"),
            Map.entry(45, "certificate_expired"), Map.entry(46, "certificate_unknown"),
            Map.entry(47, "illegal_parameter"), Map.entry(48, "unknown_ca"), Map.entry(49, "access_denied"),
            Map.entry(70, "protocol_version"), Map.entry(71, "insufficient_security"),
            Map.entry(116, "certificate_required"));
    private static final int ALERT_RECORD = 21;
    private static final int MAX_KEPT = 64;

    private volatile boolean keeping = true;
    private volatile byte[] lastWords = new byte[0];
    private InputStream input;

    /** The handshake is over: skipped bytes are no longer kept. */
    void handshakeDone() {
        keeping = false;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new FilterInputStream(super.getInputStream()) {
                @Override
                public long skip(long n) throws IOException {
                    if (!keeping || lastWords.length > 0) {
                        return super.skip(n);
                    }
                    byte[] skipped;
                    try {
                        skipped = in.readNBytes((int) Math.min(n, MAX_KEPT));
                    } catch (IOException e) {
                        return super.skip(n); // fail (or not) exactly as a plain skip would
                    }
                    lastWords = skipped;
                    return skipped.length;
                }
            };
        }
        return input;
    }

    /** The name of the plaintext alert the peer sent before the connection broke, or null. */
    String alert() {
        byte[] b = lastWords;
        if (b.length < 7 || b[0] != ALERT_RECORD || b[1] != 3 || b[3] != 0 || b[4] != 2) {
            return null;
        }
        return ALERTS.get(b[6] & 0xff);
    }
}
