package sip.router.internal.core;

import java.io.IOException;
import sip.message.Contact;
import sip.message.Method;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.ServerTransaction;
import sip.router.internal.DelegatingServerTransaction;

/**
 * The server transaction as a handler sees it: the layer's own, with a {@code Contact} added to
 * each response that creates a dialog (101–299 to INVITE, SUBSCRIBE or REFER) and has none, where
 * the dialog's requests can reach this agent (RFC 3261 §12.1.1), so {@code tx.respond(200)} alone
 * answers an INVITE correctly. A Contact the handler set is left alone.
 */
final class HandlerTransaction extends DelegatingServerTransaction {

    private final ContactSource contactFor;

    HandlerTransaction(ServerTransaction tx, ContactSource contactFor) {
        super(tx);
        this.contactFor = contactFor;
    }

    @Override
    public void respond(int code) throws IOException {
        SipResponse.Builder b = tx.responseBuilder(code);
        tx.respond((createsDialog(code) ? withContact(b) : b).build());
    }

    @Override
    public void respond(SipResponse response) throws IOException {
        boolean contact = createsDialog(response.statusCode()) && !response.hasHeader(StandardHeader.CONTACT);
        tx.respond(contact ? withContact(response.toBuilder()).build() : response);
    }

    private SipResponse.Builder withContact(SipResponse.Builder b) {
        // §12.1.1: sips when the request's Request-URI was.
        boolean sips = tx.request().requestUri() instanceof SipUri u && u.secure();
        return b.contact(Contact.of(contactFor.contactFor(tx.flow(), sips)));
    }

    private boolean createsDialog(int code) {
        if (code <= 100 || code >= 300) {
            return false;
        }
        Method m = tx.request().method();
        // UPDATE's 2xx refreshes the target too (RFC 3311 §5.2), so it carries a Contact.
        return m.equals(Method.INVITE) || m.equals(Method.SUBSCRIBE) || m.equals(Method.REFER)
                || (m.equals(Method.UPDATE) && code >= 200);
    }
}
