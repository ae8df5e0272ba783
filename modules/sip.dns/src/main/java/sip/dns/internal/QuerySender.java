package sip.dns.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * Sends one DNS query and completes with the response, or exceptionally with an
 * {@link java.io.IOException} ({@link java.net.SocketTimeoutException} when no server answered in
 * time, {@link org.xbill.DNS.WireParseException} when the answer could not be parsed). Never
 * blocks the caller. The seam unit tests replace to hold answers back.
 */
interface QuerySender {

    /** A response and the server that gave it. */
    record Reply(Message message, InetSocketAddress server) {
    }

    /**
     * @param query the query; not modified
     * @param deadline {@link System#nanoTime()} by which every attempt has ended: the returned
     *     future is complete by then (give or take scheduling)
     */
    CompletableFuture<Reply> send(Message query, long deadline);
}
