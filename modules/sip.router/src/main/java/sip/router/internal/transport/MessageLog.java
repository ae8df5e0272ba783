package sip.router.internal.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sip.message.ParseResult;
import sip.message.SipMessage;
import sip.transport.spi.Connection;

/**
 * The {@code sip.router.messages} logger: at DEBUG one entry per message sent or received,
 * headed by direction, transport, addresses and Call-ID, then the message. Callers test
 * {@link #enabled()} first, so when DEBUG is off nothing is formatted.
 */
final class MessageLog {

    static final Logger LOG = LoggerFactory.getLogger("sip.router.messages");

    private MessageLog() {
    }

    static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    static void received(Connection connection, SipMessage message) {
        LOG.debug("received {} {} <- {} Call-ID {}\n{}", connection.protocol().name(),
                text(connection.localAddress()), text(connection.remoteAddress()), callId(message), message);
    }

    static void malformed(Connection connection, ParseResult.Malformed malformed) {
        LOG.debug("received malformed {} {} <- {}: {}\n{}", connection.protocol().name(),
                text(connection.localAddress()), text(connection.remoteAddress()), malformed.error(),
                malformed.partial().map(Object::toString).orElse("(nothing readable)"));
    }

    static void sent(Connection connection, String callId, ByteBuffer bytes) {
        LOG.debug("sent {} {} -> {} Call-ID {}\n{}", connection.protocol().name(),
                text(connection.localAddress()), text(connection.remoteAddress()), callId,
                StandardCharsets.UTF_8.decode(bytes));
    }

    static String callId(SipMessage message) {
        return message.header(sip.message.StandardHeader.CALL_ID).orElse("-");
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
