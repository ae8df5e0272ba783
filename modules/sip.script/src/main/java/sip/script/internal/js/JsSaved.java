package sip.script.internal.js;

import org.graalvm.polyglot.HostAccess.Export;

/** What {@code sip.registrar.save} returns: the status sent and the AOR's contacts after the update. */
public final class JsSaved {

    private final int status;
    private final Object[] contacts;

    JsSaved(int status, Object[] contacts) {
        this.status = status;
        this.contacts = contacts;
    }

    @Export public int status() {
        return status;
    }

    @Export public Object[] contacts() {
        return contacts;
    }
}
