package sip.message;

import java.util.Locale;
import java.util.Objects;

/**
 * A media type with parameters: the value of Content-Type, and each value of Accept (where type
 * or subtype may be {@code *}).
 *
 * @param type the type as written, e.g. {@code "application"}
 * @param subtype the subtype as written, e.g. {@code "sdp"}
 * @param parameters the parameters ({@code charset}, {@code boundary}, {@code q}, ...)
 */
public record ContentType(String type, String subtype, Parameters parameters) {
    public static final ContentType APPLICATION_SDP = of("application", "sdp");

    public ContentType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subtype, "subtype");
        Objects.requireNonNull(parameters, "parameters");
        sip.message.internal.Grammar.requireNoCrLf("media type", type);
        sip.message.internal.Grammar.requireNoCrLf("media subtype", subtype);
    }

    public static ContentType of(String type, String subtype) {
        return new ContentType(type, subtype, Parameters.EMPTY);
    }

    /** {@code type/subtype} in lower case, without parameters. */
    public String mediaType() {
        return (type + "/" + subtype).toLowerCase(Locale.ROOT);
    }

    /** True when the media types match ignoring case (parameters ignored). */
    public boolean is(String type, String subtype) {
        return this.type.equalsIgnoreCase(type) && this.subtype.equalsIgnoreCase(subtype);
    }

    /** The boundary parameter of a multipart type, or null. */
    public String boundary() {
        return parameters.value("boundary");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(type).append('/').append(subtype);
        parameters.appendTo(sb);
        return sb.toString();
    }
}
