package sip.dns.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

/**
 * {@link QuerySender} over dnsjava's asynchronous {@link SimpleResolver} (UDP, TCP when the UDP
 * answer is truncated): the servers are tried in the configured order, one attempt of
 * {@code queryTimeout} each, round after round until {@code attempts} attempts were made. A
 * SERVFAIL or REFUSED answer moves to the next server when one is left untried; the last server's
 * answer is the result. (dnsjava's {@code ExtendedResolver} shuffles the servers; the order given is
 * the operator's here, as in resolv.conf.)
 */
final class DnsjavaSender implements QuerySender {
    private final List<InetSocketAddress> servers;
    private final List<SimpleResolver> resolvers;
    private final int attempts;
    private final Executor executor;

    DnsjavaSender(List<InetSocketAddress> servers, Duration queryTimeout, int attempts, Executor executor) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server");
        }
        this.servers = List.copyOf(servers);
        this.resolvers = this.servers.stream().map(s -> {
            SimpleResolver r = new SimpleResolver(s);
            r.setTimeout(queryTimeout);
            return r;
        }).toList();
        this.attempts = Math.max(attempts, servers.size());
        this.executor = executor;
    }

    @Override
    public CompletableFuture<Reply> send(Message query) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        attempt(query, 0, result);
        return result;
    }

    private void attempt(Message query, int attempt, CompletableFuture<Reply> result) {
        int index = attempt % servers.size();
        CompletableFuture<Message> sent;
        try {
            sent = resolvers.get(index).sendAsync(query.clone(), executor).toCompletableFuture();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        sent.whenComplete((response, failure) -> {
            if (result.isDone()) {
                return;
            }
            if (failure == null) {
                int rcode = response.getRcode();
                boolean untriedLeft = attempt + 1 < servers.size();
                if ((rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) && untriedLeft) {
                    attempt(query, attempt + 1, result);
                } else {
                    result.complete(new Reply(response, servers.get(index)));
                }
            } else if (attempt + 1 < attempts) {
                attempt(query, attempt + 1, result);
            } else {
                result.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            }
        });
    }

    List<InetSocketAddress> servers() {
        return servers;
    }
}
