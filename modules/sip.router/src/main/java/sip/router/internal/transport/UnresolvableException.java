package sip.router.internal.transport;

import java.io.IOException;

/** No destination could be found for a request's target (the client transaction gets a 503). */
public final class UnresolvableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String target;
    private final String detail;

    public UnresolvableException(String target, String detail) {
        super("cannot resolve " + target + ": " + detail);
        this.target = target;
        this.detail = detail;
    }

    /** Why, without the "cannot resolve target" prefix the message carries. */
    public String detail() {
        return detail;
    }

    public String target() {
        return target;
    }
}
