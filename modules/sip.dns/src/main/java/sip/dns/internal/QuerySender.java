package sip.dns.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * Sends one DNS query and completes with the response, or exceptionally with an
 * {@link java.io.IOException} ({@link java.net.SocketTimeoutException} when no server answered in
 * time). Never blocks the caller. The seam unit tests replace to hold answers back.
 */
interface QuerySender {

    /** A response and the server that gave it. */
    record Reply(Message message, InetSocketAddress server) {
    }

    CompletableFuture<Reply> send(Message query);
}
