package sip.transport.tls.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Set;
import sip.transport.spi.TlsException;
import sip.transport.spi.TlsException.Failure;

/**
 * Turns what JSSE throws during a handshake into a {@link TlsException} whose {@link Failure} the
 * stack can act on and whose message says in plain words who the peer was and what went wrong.
 *
 * <p>JSSE has no API for the alert a peer sent; it reports it only as
 * {@code "Received fatal alert: <name>"} in the message, so that text is read here. Failures this
 * side detected are recognised by their cause (certificate path errors, timeouts) first.
 */
public final class HandshakeFailures {

    private static final String RECEIVED_ALERT = "received fatal alert: ";

    /** Alerts a server sends about the client's certificate (RFC 8446 §6.2, RFC 5246 §7.2.2). */
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("bad_certificate", "certificate_required",
            "certificate_unknown", "unknown_ca", "certificate_expired", "certificate_revoked",
            "unsupported_certificate", "access_denied");

    private HandshakeFailures() {
    }

    /**
     * @param e what the handshake threw
     * @param peer the peer as the message should name it, e.g. {@code 127.0.0.1:5061 (sip.test)}
     * @param client true on the connecting side
     * @param certificateRequested on a client: the server asked for our certificate, which makes a
     *     {@code handshake_failure} alert a refusal of it (RFC 5246 §7.4.6)
     * @param timedOut true if the handshake deadline passed (the socket was closed under it)
     * @param timeoutMillis the handshake timeout, for the message
     */
    public static TlsException classify(IOException e, String peer, boolean client, boolean certificateRequested,
            boolean timedOut, long timeoutMillis) {
        if (e instanceof TlsException tls) {
            return tls;
        }
        String detail = rootMessage(e);
        if (timedOut || has(e, SocketTimeoutException.class)) {
            return new TlsException(Failure.TIMEOUT, peer + " did not complete the TLS handshake within "
                    + timeoutMillis + " ms", e);
        }
        if (isExpired(e)) {
            return new TlsException(Failure.EXPIRED_CERTIFICATE, (client ? "the certificate of " + peer
                    : "the client certificate of " + peer)
                    + " (or one in its chain) has expired or is not yet valid: " + detail, e);
        }
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)
                || has(e, CertificateException.class)) {
            return client
                    ? new TlsException(Failure.UNTRUSTED_CERTIFICATE, "the certificate of " + peer
                            + " is not signed by a trusted CA: " + detail, e)
                    : new TlsException(Failure.CLIENT_CERTIFICATE_REJECTED, "the client certificate of " + peer
                            + " is not signed by a trusted CA: " + detail, e);
        }
        String message = messages(e);
        if (!client && message.contains("empty client certificate chain")) {
            return new TlsException(Failure.CLIENT_CERTIFICATE_REJECTED, peer
                    + " sent no client certificate, and this server requires one", e);
        }
        String alert = alertIn(message);
        if (alert != null && (CERTIFICATE_ALERTS.contains(alert)
                || client && certificateRequested && alert.equals("handshake_failure"))) {
            return client
                    ? new TlsException(Failure.CLIENT_CERTIFICATE_REJECTED, peer
                            + " refused our client certificate, or the lack of one (alert " + alert + ")", e)
                    : new TlsException(alert.equals("certificate_expired") ? Failure.EXPIRED_CERTIFICATE
                            : Failure.UNTRUSTED_CERTIFICATE, peer + " does not accept our certificate (alert "
                            + alert + ")", e);
        }
        if (message.contains("protocol_version") || message.contains("no appropriate protocol")
                || message.contains("not enabled or supported") || message.contains("no cipher suites in common")
                || message.contains("insufficient_security")) {
            return new TlsException(Failure.PROTOCOL, "no TLS version or cipher suite in common with " + peer
                    + ": " + detail, e);
        }
        if (has(e, EOFException.class) || message.contains("remote host terminated")) {
            return new TlsException(Failure.PROTOCOL, peer + " closed the connection during the TLS handshake", e);
        }
        if (has(e, SocketException.class)) {
            // Typically a peer that gave up on us (e.g. did not trust our certificate) and reset the
            // connection before its alert could be read.
            return new TlsException(Failure.PROTOCOL, peer + " broke off the TLS handshake: " + detail, e);
        }
        if (message.contains("unsupported or unrecognized ssl message")) {
            return new TlsException(Failure.PROTOCOL, peer + " does not speak TLS: " + detail, e);
        }
        return new TlsException(Failure.PROTOCOL, "TLS handshake with " + peer + " failed: " + detail, e);
    }

    static TlsException classify(IOException e, String peer, boolean client, boolean certificateRequested,
            HandshakeDeadline deadline) {
        return classify(e, peer, client, certificateRequested, deadline.expired(), deadline.timeoutMillis());
    }

    private static boolean isExpired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return true;
            }
            if (t instanceof CertPathValidatorException v
                    && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** All messages of the cause chain, lower case, to look for JSSE's wording in. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    /** The name of the alert the peer sent, as JSSE reports it in {@code e}; null if none. */
    static String receivedAlert(Throwable e) {
        return alertIn(messages(e));
    }

    private static String alertIn(String messages) {
        int at = messages.indexOf(RECEIVED_ALERT);
        if (at < 0) {
            return null;
        }
        int start = at + RECEIVED_ALERT.length();
        int end = start;
        while (end < messages.length() && (Character.isLetterOrDigit(messages.charAt(end)) || messages.charAt(end) == '_')) {
            end++;
        }
        return messages.substring(start, end);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m != null ? m : root.getClass().getSimpleName();
    }
}
