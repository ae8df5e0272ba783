package sip.router.internal.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import sip.message.Method;
import sip.router.AckHandler;
import sip.router.RequestHandler;
import sip.transport.spi.Flow;

/**
 * What a {@link ServerImpl} is set up with at one instant. Immutable: the server swaps the whole
 * value on every change, so one request sees one consistent set of handlers, option tags and
 * media types from validation to dispatch.
 *
 * @param handlers handlers by method
 * @param fallback the handler of every other method, or null
 * @param ackHandler where ACKs outside a transaction go, or null to drop them
 * @param supported option tags, as given (compared ignoring case: tokens, RFC 3261 §7.3.1)
 * @param accepted media types {@code type/subtype} of request bodies (415 check), lower case
 * @param produced media types {@code type/subtype} of response bodies (406 check), lower case
 * @param flowClosed told of each flow whose connection closed, or null
 */
record ServerConfig(Map<Method, RequestHandler> handlers, RequestHandler fallback, AckHandler ackHandler,
                    List<String> supported, List<String> accepted, List<String> produced,
                    Consumer<Flow> flowClosed) {

    private static final List<String> SDP = List.of("application/sdp");

    /** No handlers, no extensions, SDP bodies in and out. */
    static final ServerConfig DEFAULT = new ServerConfig(Map.of(), null, null, List.of(), SDP, SDP, null);

    /** The methods a UAS always handles: ACK and CANCEL in the transaction layer, OPTIONS by default. */
    private static final List<Method> ALWAYS = List.of(Method.ACK, Method.CANCEL, Method.OPTIONS);

    /** Allow lists known methods in this order (RFC 3261 first), then extensions by name. */
    private static final List<Method> KNOWN_ORDER = List.of(Method.INVITE, Method.ACK, Method.BYE,
            Method.CANCEL, Method.OPTIONS, Method.REGISTER, Method.PRACK, Method.SUBSCRIBE,
            Method.NOTIFY, Method.PUBLISH, Method.INFO, Method.REFER, Method.MESSAGE, Method.UPDATE);

    ServerConfig {
        handlers = Map.copyOf(handlers);
        supported = List.copyOf(supported);
        accepted = List.copyOf(accepted);
        produced = List.copyOf(produced);
    }

    /** The handler for {@code method}: its own, else the fallback, else null. */
    RequestHandler handlerFor(Method method) {
        RequestHandler h = handlers.get(method);
        return h != null ? h : fallback;
    }

    ServerConfig withHandler(Method method, RequestHandler handler) {
        Map<Method, RequestHandler> m = new HashMap<>(handlers);
        m.put(Objects.requireNonNull(method, "method"), Objects.requireNonNull(handler, "handler"));
        return new ServerConfig(m, fallback, ackHandler, supported, accepted, produced, flowClosed);
    }

    ServerConfig withFallback(RequestHandler handler) {
        return new ServerConfig(handlers, Objects.requireNonNull(handler, "handler"), ackHandler, supported, accepted, produced, flowClosed);
    }

    ServerConfig withAckHandler(AckHandler handler) {
        return new ServerConfig(handlers, fallback, Objects.requireNonNull(handler, "handler"), supported, accepted, produced, flowClosed);
    }

    ServerConfig withSupported(List<String> optionTags) {
        return new ServerConfig(handlers, fallback, ackHandler, optionTags, accepted, produced, flowClosed);
    }

    ServerConfig withAccepted(List<String> mediaTypes) {
        return new ServerConfig(handlers, fallback, ackHandler, supported, mediaTypes, produced, flowClosed);
    }

    ServerConfig withProduced(List<String> mediaTypes) {
        return new ServerConfig(handlers, fallback, ackHandler, supported, accepted, mediaTypes, flowClosed);
    }

    ServerConfig withFlowClosed(Consumer<Flow> listener) {
        return new ServerConfig(handlers, fallback, ackHandler, supported, accepted, produced,
                Objects.requireNonNull(listener, "listener"));
    }

    boolean supports(String optionTag) {
        for (String s : supported) {
            if (s.equalsIgnoreCase(optionTag)) {
                return true;
            }
        }
        return false;
    }

    boolean accepts(String mediaType) {
        return accepted.contains(mediaType.toLowerCase(Locale.ROOT));
    }

    /** The INVITE handler {@link ServerImpl#onDialog} installs: the dialog layer then serves BYE, PRACK, UPDATE. */
    interface ServesDialogs extends RequestHandler {
    }

    /** Methods the dialog layer answers in its dialogs. */
    private static final List<Method> IN_DIALOGS = List.of(Method.BYE, Method.PRACK, Method.UPDATE);

    /**
     * The {@code Allow} value: the methods with a handler plus ACK, CANCEL and OPTIONS, and
     * BYE, PRACK and UPDATE when dialogs are served.
     */
    String allow() {
        boolean dialogs = handlers.get(Method.INVITE) instanceof ServesDialogs;
        List<String> names = new ArrayList<>();
        for (Method m : KNOWN_ORDER) {
            if (ALWAYS.contains(m) || handlers.containsKey(m) || (dialogs && IN_DIALOGS.contains(m))) {
                names.add(m.name());
            }
        }
        handlers.keySet().stream().map(Method::name).filter(n -> !KNOWN_ORDER.contains(Method.of(n)))
                .sorted().forEach(names::add);
        return String.join(", ", names);
    }
}
