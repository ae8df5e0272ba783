package sip.router.internal.core;

import java.util.List;
import java.util.Objects;
import sip.message.HeaderField;
import sip.message.HeaderName;
import sip.message.Status;

/**
 * The answer {@link RequestValidator} gives a request that must not reach its handler: a status
 * (reason phrase included) and the header fields that explain it ({@code Allow},
 * {@code Unsupported}, {@code Accept}, ...). A value, so the validator stays a pure function and
 * tests need no transaction.
 */
record Rejection(Status status, List<HeaderField> headers) {

    Rejection {
        Objects.requireNonNull(status, "status");
        headers = List.copyOf(headers);
    }

    static Rejection of(Status status) {
        return new Rejection(status, List.of());
    }

    static Rejection of(Status status, HeaderName name, String value) {
        return new Rejection(status, List.of(new HeaderField(name, value)));
    }

    int code() {
        return status.code();
    }

    /** The value of the first field named {@code name}, or null. */
    String header(HeaderName name) {
        for (HeaderField f : headers) {
            if (f.name().equals(name)) {
                return f.value();
            }
        }
        return null;
    }
}
