package sip.router.internal.core;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import sip.message.Contact;
import sip.message.Method;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.StandardHeader;
import sip.router.ServerTransaction;
import sip.router.TransactionState;
import sip.transport.spi.Flow;

/**
 * The server transaction as a handler sees it: the layer's own, with each response completed as
 * this user agent sends them: a {@code Server} header, and on a response that creates a dialog
 * (101–299 to INVITE, SUBSCRIBE or REFER) a {@code Contact} where the dialog's requests can reach
 * this agent (RFC 3261 §12.1.1), so {@code tx.respond(200)} alone answers an INVITE correctly.
 * Whatever the handler set itself is left alone.
 */
final class HandlerTransaction implements ServerTransaction {

    private final ServerTransaction tx;
    private final String server;
    private final Function<Flow, SipUri> contactFor;

    HandlerTransaction(ServerTransaction tx, String server, Function<Flow, SipUri> contactFor) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.server = server;
        this.contactFor = contactFor;
    }

    @Override
    public void respond(int code) throws IOException {
        // A fresh builder holds only what §8.2.6 copies from the request: neither header is there.
        tx.respond(complete(tx.responseBuilder(code), true, createsDialog(code)).build());
    }

    @Override
    public void respond(SipResponse response) throws IOException {
        boolean server = !response.hasHeader(StandardHeader.SERVER);
        boolean contact = createsDialog(response.statusCode()) && !response.hasHeader(StandardHeader.CONTACT);
        tx.respond(server || contact ? complete(response.toBuilder(), server, contact).build() : response);
    }

    private SipResponse.Builder complete(SipResponse.Builder b, boolean server, boolean contact) {
        if (contact) {
            b.contact(Contact.of(contactFor.apply(tx.flow())));
        }
        return server ? b.setHeader(StandardHeader.SERVER, this.server) : b;
    }

    private boolean createsDialog(int code) {
        if (code <= 100 || code >= 300) {
            return false;
        }
        Method m = tx.request().method();
        return m.equals(Method.INVITE) || m.equals(Method.SUBSCRIBE) || m.equals(Method.REFER);
    }

    @Override
    public SipRequest request() {
        return tx.request();
    }

    @Override
    public Flow flow() {
        return tx.flow();
    }

    @Override
    public TransactionState state() {
        return tx.state();
    }

    @Override
    public SipResponse.Builder responseBuilder(int code) {
        return tx.responseBuilder(code);
    }

    @Override
    public boolean isAnswered() {
        return tx.isAnswered();
    }

    @Override
    public boolean isCancelled() {
        return tx.isCancelled();
    }

    @Override
    public void onCancel(Consumer<SipRequest> action) {
        tx.onCancel(action);
    }

    @Override
    public String toString() {
        return tx.toString();
    }
}
