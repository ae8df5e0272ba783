package sip.router.internal.dialog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.SipMessage;
import sip.message.SipParseException;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.message.Uri;
import sip.transport.spi.Flow;
import sip.transport.spi.Protocol;
import sip.transport.spi.Transports;

/** What dialogs read from messages (RFC 3261 §12.1, RFC 3262 §7). Pure functions. */
final class DialogMessages {

    static final String REL_100 = "100rel";

    private DialogMessages() {
    }

    /** {@code address} without its tag: the local or remote URI of the dialog state. */
    static NameAddress untagged(NameAddress address) {
        return address.tag() == null ? address
                : new NameAddress(address.displayName(), address.uri(), address.parameters().without("tag"));
    }

    /** The first Contact URI of {@code m} (§12.1: the remote target), or {@code fallback}. */
    static Uri contactOr(SipMessage m, Uri fallback) {
        try {
            for (Contact c : m.contacts()) {
                if (!c.isWildcard()) {
                    return c.uri();
                }
            }
        } catch (SipParseException e) {
            // A broken Contact leaves the target as it was rather than failing the dialog.
        }
        return fallback;
    }

    /** Record-Route in order (the UAS's route set, §12.1.1). */
    static List<NameAddress> recordRoute(SipMessage m) {
        return List.copyOf(m.all(HeaderType.RECORD_ROUTE));
    }

    /** Record-Route reversed (the UAC's route set, §12.1.2). */
    static List<NameAddress> reversedRecordRoute(SipMessage m) {
        List<NameAddress> routes = new ArrayList<>(m.all(HeaderType.RECORD_ROUTE));
        Collections.reverse(routes);
        return List.copyOf(routes);
    }

    /** §12.1.1/§12.1.2: a {@code sips} Request-URI over TLS. */
    static boolean secure(Uri requestUri, Flow flow) {
        if (!(requestUri instanceof SipUri u) || !u.secure() || flow == null) {
            return false;
        }
        return protocol(flow).secure();
    }

    /** The protocol of {@code flow}; an unknown one is taken as an unreliable, insecure one. */
    static Protocol protocol(Flow flow) {
        try {
            return Transports.protocol(flow.protocol());
        } catch (RuntimeException e) {
            String p = flow.protocol().toLowerCase(Locale.ROOT);
            return new Protocol(p, false, false, p.equals("tls") || p.equals("wss"), 5060);
        }
    }

    /** True when Supported or Require of {@code m} names {@code tag}. */
    static boolean names(SipMessage m, String tag) {
        return has(m.all(HeaderType.SUPPORTED), tag) || has(m.all(HeaderType.REQUIRE), tag);
    }

    static boolean requires(SipMessage m, String tag) {
        return has(m.all(HeaderType.REQUIRE), tag);
    }

    private static boolean has(List<String> tags, String tag) {
        for (String t : tags) {
            if (t.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }

    /** The RSeq of a reliable provisional response (RFC 3262 §7.1), or -1 when absent or broken. */
    static long rseq(SipMessage m) {
        String v = m.header(StandardHeader.RSEQ).orElse(null);
        if (v == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(v.strip());
            return n >= 1 && n <= Integer.MAX_VALUE ? n : -1; // RFC 3262 §3: 1 .. 2^31-1
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** RAck (RFC 3262 §7.2): response-num, CSeq-num, method; null when absent or broken. */
    record RAck(long rseq, long cseq, String method) {
        static RAck of(SipMessage m) {
            String v = m.header(StandardHeader.RACK).orElse(null);
            if (v == null) {
                return null;
            }
            String[] parts = v.strip().split("\\s+");
            if (parts.length != 3) {
                return null;
            }
            try {
                return new RAck(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return rseq + " " + cseq + " " + method;
        }
    }
}
