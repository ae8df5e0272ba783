package sip.router.registrar;

import java.util.ArrayList;
import java.util.List;
import sip.message.Contact;
import sip.message.HeaderType;
import sip.message.NameAddress;
import sip.message.SipRequest;

/**
 * What a REGISTER asks for, read once: the contacts with the expiry each requests (RFC 3261
 * §10.3 step 7), or the wildcard, and what every binding it writes records (Call-ID, CSeq,
 * Path, whether the UA supports Path), so that every malformed header it needs shows here, as a
 * 400, before anything is written.
 *
 * @param wildcard true for {@code Contact: *} (which then stands alone with Expires 0)
 * @param changes the contacts, in request order; empty for a query or the wildcard
 */
record Requested(boolean wildcard, List<Change> changes, String callId, long cseq, List<NameAddress> path,
                 boolean pathSupported) {

    /**
     * One contact and the expiry it asks for: its {@code expires} parameter, else the
     * {@code Expires} header, else the registrar's default.
     */
    record Change(NameAddress contact, long expires, double q) {
    }

    /** The request is malformed for a registrar: answered 400 with this message. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @throws sip.message.SipParseException if a header it reads is malformed
     * @throws Invalid if {@code *} is not alone or comes with an Expires other than 0
     */
    static Requested of(SipRequest register, long defaultExpires) {
        List<Contact> contacts = register.contacts();
        Long expiresHeader = register.first(HeaderType.EXPIRES).orElse(null);
        String callId = register.callId();
        long cseq = register.cseq().sequence();
        List<NameAddress> path = List.copyOf(register.all(HeaderType.PATH));
        boolean pathSupported = register.all(HeaderType.SUPPORTED).stream().anyMatch(t -> t.equalsIgnoreCase("path"));
        boolean wildcard = contacts.stream().anyMatch(Contact::isWildcard);
        if (wildcard) {
            // §10.3 step 6: "If the request has additional Contact fields or an expiration time
            // other than zero, the request is invalid, and the server MUST return a 400".
            if (contacts.size() != 1) {
                throw new Invalid("Contact * must stand alone");
            }
            if (expiresHeader == null || expiresHeader != 0) {
                throw new Invalid("Contact * needs Expires: 0");
            }
            return new Requested(true, List.of(), callId, cseq, path, pathSupported);
        }
        List<Change> changes = new ArrayList<>(contacts.size());
        for (Contact c : contacts) {
            if (c.address().parameters().has("expires") && c.expires().isEmpty()) {
                throw new Invalid("Contact expires is not delta-seconds");
            }
            if (c.address().parameters().has("q") && c.q().isEmpty()) {
                throw new Invalid("Contact q is not a qvalue");
            }
            long expires = c.expires().orElse(expiresHeader != null ? expiresHeader : defaultExpires);
            changes.add(new Change(c.address(), expires, c.q().orElse(1.0)));
        }
        return new Requested(false, List.copyOf(changes), callId, cseq, path, pathSupported);
    }
}
