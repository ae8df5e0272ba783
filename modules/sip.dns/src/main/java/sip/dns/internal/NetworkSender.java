package sip.dns.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.WireParseException;

/**
 * {@link QuerySender} to the configured servers: UDP with EDNS (1,232 bytes), TCP through dnsjava's
 * asynchronous {@link SimpleResolver} when the UDP answer is truncated. The servers are tried in
 * the configured order, one attempt of {@code queryTimeout} each, round after round, while the
 * query's deadline leaves time (the last attempt is cut short to end by it) and at most
 * {@value #MAX_ATTEMPTS} attempts. A SERVFAIL, REFUSED or unparseable answer moves to the next
 * server when one is left untried; the last server's answer is the result. (dnsjava's
 * {@code ExtendedResolver} shuffles the servers; the order given is the operator's here, as in
 * resolv.conf.)
 *
 * <p>The UDP exchange is this class's own, not dnsjava's, for two reasons: dnsjava's UDP client
 * ends an exchange at the first datagram that arrives, so a stray or spoofed one with a wrong ID
 * fails the attempt, where RFC 5452 §9.1 says to discard it and keep waiting; and it checks its
 * timeouts only once per selector tick (1 s), so a {@code queryTimeout} below a second was not
 * kept. Each attempt uses a new socket (a fresh source port) and a fresh random ID
 * (RFC 5452 §9.2); a datagram whose ID or question does not match is discarded.
 *
 * <p>Each query runs as a plain blocking loop on a virtual thread of its own, parked while it
 * waits: no platform thread is held per query.
 */
final class NetworkSender implements QuerySender {
    private static final Logger log = LoggerFactory.getLogger(NetworkSender.class);
    /** Most attempts of one query, however long its deadline. */
    static final int MAX_ATTEMPTS = 16;
    /** The EDNS UDP payload size advertised (the DNS Flag Day 2020 value dnsjava uses too). */
    private static final int EDNS_PAYLOAD = 1232;
    /** Room for any datagram a server might send despite the advertised size. */
    private static final int RECEIVE_BUFFER = 65_535;
    private static final SecureRandom IDS = new SecureRandom();

    private final List<InetSocketAddress> servers;
    private final List<SimpleResolver> tcp;
    private final long queryTimeout;
    private final Executor executor;

    /**
     * @param executor where dnsjava completes its TCP exchanges
     */
    NetworkSender(List<InetSocketAddress> servers, Duration queryTimeout, Executor executor) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server");
        }
        this.servers = List.copyOf(servers);
        this.tcp = this.servers.stream().map(s -> {
            SimpleResolver r = new SimpleResolver(s);
            r.setTCP(true);
            r.setTimeout(queryTimeout);
            return r;
        }).toList();
        this.queryTimeout = queryTimeout.toNanos();
        this.executor = executor;
    }

    @Override
    public CompletableFuture<Reply> send(Message query, long deadline) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        Thread.ofVirtual().name("sip-dns-query").start(() -> {
            try {
                result.complete(exchange(query, deadline, result));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            } catch (InterruptedException e) {
                result.completeExceptionally(new java.io.InterruptedIOException("query interrupted"));
            }
        });
        return result;
    }

    /** The attempts of one query; stops early once {@code result} was completed by someone else (the locator closed). */
    private Reply exchange(Message query, long deadline, CompletableFuture<Reply> result)
            throws IOException, InterruptedException {
        long budget = deadline - System.nanoTime();
        // each server at least once; else as many as fit the budget (the last one cut short)
        int attempts = Math.max(servers.size(), (int) Math.clamp((budget + queryTimeout - 1) / queryTimeout, 1, MAX_ATTEMPTS));
        IOException last = new SocketTimeoutException("no time left for a query");
        for (int attempt = 0; attempt < attempts && !result.isDone(); attempt++) {
            long wait = Math.min(queryTimeout, deadline - System.nanoTime());
            if (wait <= 0) {
                break;
            }
            int index = attempt % servers.size();
            InetSocketAddress server = servers.get(index);
            boolean untriedLeft = attempt + 1 < servers.size();
            try {
                Message response = udp(query, server, wait);
                if (response.getHeader().getFlag(Flags.TC)) {
                    response = tcp(query, index, Math.min(queryTimeout, Math.max(1, deadline - System.nanoTime())));
                }
                int rcode = response.getRcode();
                if ((rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) && untriedLeft) {
                    continue;
                }
                return new Reply(response, server);
            } catch (WireParseException e) {
                // the server's own answer (its ID and question matched), but broken
                if (!untriedLeft) {
                    throw e;
                }
                last = e;
            } catch (IOException e) {
                log.debug("DNS attempt {} to {} failed: {}", attempt + 1, server, e.toString());
                last = e;
            }
        }
        throw last;
    }

    /**
     * One UDP attempt: sends {@code query} with a fresh ID from a fresh port and waits at most
     * {@code wait} ns for the datagram that answers it, discarding any other (RFC 5452 §9.1).
     *
     * @throws SocketTimeoutException when no answer came in time
     * @throws WireParseException when the answer (ID and header matching) cannot be parsed
     */
    private static Message udp(Message query, InetSocketAddress server, long wait) throws IOException {
        Message sent = query.clone();
        int id = IDS.nextInt(0x10000);
        sent.getHeader().setID(id);
        if (sent.getOPT() == null) {
            sent.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        byte[] out = sent.toWire();
        long end = System.nanoTime() + wait;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);   // the kernel drops datagrams from any other source
            socket.send(new DatagramPacket(out, out.length));
            byte[] buffer = new byte[RECEIVE_BUFFER];
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer from " + server + " within "
                            + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
                }
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                Message answer = answerTo(sent, id, java.util.Arrays.copyOf(in.getData(), in.getLength()));
                if (answer != null) {
                    return answer;
                }
            }
        }
    }

    /**
     * The datagram as the answer to {@code query}, or null when it is not one (wrong ID, not a
     * response, another question): such a datagram is discarded.
     */
    static Message answerTo(Message query, int id, byte[] datagram) throws WireParseException {
        if (datagram.length < 12 || ((datagram[0] & 0xff) << 8 | (datagram[1] & 0xff)) != id
                || (datagram[2] & 0x80) == 0) {
            return null;   // too short for a header, another ID, or not a response
        }
        Message answer;
        try {
            answer = new Message(datagram);
        } catch (WireParseException e) {
            throw e;
        } catch (IOException e) {
            throw new WireParseException("unparseable answer: " + e.getMessage(), e);
        }
        Record asked = query.getQuestion();
        Record echoed = answer.getQuestion();
        if (echoed == null) {
            // some servers leave the question out of an error answer; a NOERROR one must have it
            return answer.getRcode() == Rcode.NOERROR || answer.getRcode() == Rcode.NXDOMAIN ? null : answer;
        }
        boolean same = echoed.getName().equals(asked.getName()) && echoed.getType() == asked.getType()
                && echoed.getDClass() == asked.getDClass();
        return same ? answer : null;
    }

    /** The query again over TCP (the UDP answer was truncated), through dnsjava. */
    private Message tcp(Message query, int index, long wait) throws IOException, InterruptedException {
        CompletableFuture<Message> answer = tcp.get(index).sendAsync(query.clone(), executor).toCompletableFuture();
        try {
            return answer.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no TCP answer from " + servers.get(index) + " in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("TCP query failed: " + cause, cause);
        }
    }

    List<InetSocketAddress> servers() {
        return servers;
    }
}
