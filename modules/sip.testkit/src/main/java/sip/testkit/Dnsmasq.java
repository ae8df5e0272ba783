package sip.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real DNS server for tests: {@code dnsmasq} (2.90 from Debian's {@code dnsmasq-base}) started as
 * a child process on a free 127.0.0.1 port, serving only the records the builder was given, with
 * its query log readable so a test can tell whether a name was queried again.
 *
 * <pre>{@code
 * assumeTrue(Dnsmasq.isAvailable(), "dnsmasq not installed");
 * try (Dnsmasq dns = Dnsmasq.builder()
 *         .domain("example.test")                   // names under it that have no record: NXDOMAIN
 *         .naptr("example.test", 10, 50, "s", "SIP+D2T", "", "_sip._tcp.example.test")
 *         .srv("_sip._tcp.example.test", "sip1.example.test", 5060, 10, 60)
 *         .host("sip1.example.test", "127.0.0.1", "::1")
 *         .ttl(Duration.ofSeconds(60))
 *         .start()) {
 *     InetSocketAddress server = dns.address();     // 127.0.0.1:port, UDP and TCP
 *     ...
 *     assertEquals(1, dns.queryCount("sip1.example.test", "A"));
 * }
 * }</pre>
 *
 * <p>dnsmasq always gets {@code --keep-in-foreground --no-resolv --no-hosts --bind-interfaces
 * --listen-address=127.0.0.1 --port=N --local=/<domain>/ --conf-file=<an empty file of its own>
 * --user=<current> --pid-file= --log-queries --log-facility=-}: it never forwards a query anywhere,
 * reads no file of the machine (not even {@code /dev/null}, which on a machine where it is a
 * regular file may hold anything), and logs every query to its stderr, which this class reads. Not
 * {@code --no-daemon}: that debug mode serves a TCP connection inside the one server process until
 * the client closes it (dnsjava keeps its TCP connections open), and no UDP query is answered
 * meanwhile; {@code --keep-in-foreground} forks a child per TCP connection as a real server does.
 *
 * <h2>How dnsmasq 2.90 answers (measured)</h2>
 * <ul>
 * <li><b>TTL.</b> {@code --naptr-record}, {@code --srv-host}, {@code --cname} and
 *     {@code --host-record} are served with the {@code --local-ttl} TTL, which is <b>0</b> unless
 *     set ({@link Builder#ttl}); a {@code --host-record} with its own TTL
 *     ({@link Builder#host(String, Duration, String...)}) uses that one instead.</li>
 * <li><b>Negative answers.</b> By default an unknown name under a {@code --local} domain gets
 *     NXDOMAIN, and a known name without the asked type NODATA, both <b>without an SOA</b> in the
 *     authority section (and without the AA bit), so an RFC 2308 cache must not keep them;
 *     {@code --neg-ttl} does not change that.</li>
 * <li><b>Authoritative mode</b> ({@link Builder#authoritative()}: {@code --auth-server=ns.<domain>,127.0.0.1
 *     --auth-zone=<domain> --auth-soa=1,hostmaster.<domain> --auth-ttl=<ttl>}): NXDOMAIN and NODATA
 *     carry the zone's SOA in the authority section, with TTL and MINIMUM both the {@code ttl};
 *     every record, {@code --host-record}s with their own TTL included, is served with that TTL;
 *     each answer carries the zone's NS record in the authority section; names outside the
 *     domains get REFUSED; and the query log says {@code auth[TYPE]} instead of
 *     {@code query[TYPE]} (both are counted by {@link #queryCount}).</li>
 * <li><b>Additional section.</b> Outside authoritative mode an SRV answer carries the A/AAAA
 *     records of its targets in the additional section; in authoritative mode it does not.</li>
 * <li>{@link Builder#srvUnavailable} ({@code --srv-host=<name>} without a target) is served as
 *     {@code 0 0 1 .}, the RFC 2782 "service not available" record.</li>
 * <li>dnsmasq caches nothing of this: each query is answered from its configuration and logged,
 *     so the log counts the queries a client sent.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} kills the process and waits for it.
 */
public final class Dnsmasq implements AutoCloseable {

    private static final Path DEFAULT_BINARY = Path.of("/usr/sbin/dnsmasq");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(5);
    /** Names under this domain are the readiness and log-barrier probes, left out of {@link #queryLog()}. */
    private static final String PROBE_DOMAIN = "parley-probe.invalid";
    /** "Nov 27 18:02:13 dnsmasq[27447]: query[NAPTR] example.test from 127.0.0.1" */
    private static final Pattern QUERY_LINE =
            Pattern.compile("\\b(?:query|auth)\\[([A-Za-z0-9]+)]\\s+(\\S+)\\s+from\\s+(\\S+)");

    private final Process process;
    private final InetSocketAddress address;
    private final List<String> arguments;
    private final List<String> output = new ArrayList<>();   // guarded by itself
    private final AtomicInteger probes = new AtomicInteger();

    private final Thread reader;

    private Dnsmasq(Process process, InetSocketAddress address, List<String> arguments) {
        this.process = process;
        this.address = address;
        this.arguments = arguments;
        this.reader = Thread.ofPlatform().daemon().name("dnsmasq-" + address.getPort() + "-log").start(this::readOutput);
    }

    /** A builder with no domain and no record yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a dnsmasq binary is installed ({@code /usr/sbin/dnsmasq} or on the PATH), for Assumptions. */
    public static boolean isAvailable() {
        return binary() != null;
    }

    private static Path binary() {
        if (Files.isExecutable(DEFAULT_BINARY)) {
            return DEFAULT_BINARY;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path p = Path.of(dir, "dnsmasq");
                    if (Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** Where the server listens, UDP and TCP: 127.0.0.1 and its port. */
    public InetSocketAddress address() {
        return address;
    }

    /** The port the server listens on. */
    public int port() {
        return address.getPort();
    }

    /** The command line the server was started with, binary first. */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * The queries the server logged so far, in order, as dnsmasq wrote them without its timestamp
     * prefix ({@code "query[SRV] _sip._tcp.example.test from 127.0.0.1"}; {@code auth[...]} in
     * authoritative mode). Every query answered before this call is in it: the call sends the
     * server a probe query and waits until the probe shows in the log, which dnsmasq writes in
     * order. Probes are left out. (A query over TCP is logged by the child serving its
     * connection, which may write its line after a later UDP query's.)
     *
     * @throws UncheckedIOException if the server does not log the probe within 5 s
     */
    public List<String> queryLog() {
        awaitLogBarrier();
        List<String> queries = new ArrayList<>();
        synchronized (output) {
            for (String line : output) {
                Matcher m = QUERY_LINE.matcher(line);
                if (m.find() && !isProbe(m.group(2))) {
                    queries.add(line.substring(m.start()));
                }
            }
        }
        return queries;
    }

    /**
     * How many queries for {@code name} (case-insensitive, without the final dot) of record
     * {@code type} ({@code "A"}, {@code "AAAA"}, {@code "SRV"}, {@code "NAPTR"}, ...) the server
     * received so far; see {@link #queryLog()}.
     */
    public int queryCount(String name, String type) {
        String wantedName = stripDot(name);
        int n = 0;
        for (String line : queryLog()) {
            Matcher m = QUERY_LINE.matcher(line);
            if (m.find() && m.group(1).equalsIgnoreCase(type) && stripDot(m.group(2)).equalsIgnoreCase(wantedName)) {
                n++;
            }
        }
        return n;
    }

    /** Everything dnsmasq wrote to stdout and stderr so far (start-up lines, the query log, errors). */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Whether the server process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Kills the server and the children serving TCP connections (SIGTERM, then SIGKILL after 5 s)
     * and waits for the server to end; idempotent.
     */
    @Override
    public void close() {
        // TCP queries are served by forked children (see the class description): end them too.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(1000);   // the rest of its output, for messages
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Dnsmasq[" + address + (process.isAlive() ? "" : ", ended") + "]";
    }

    private void awaitLogBarrier() {
        String probe = "log" + probes.incrementAndGet() + "." + PROBE_DOMAIN;
        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(100);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new UncheckedIOException(new IOException("dnsmasq ended: " + output()));
                }
                // Sent again each round: UDP may drop it; the log then has it more than once, which is fine.
                query(socket, address, probe);
                long roundEnd = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
                while (System.nanoTime() < roundEnd) {
                    if (logged(probe)) {
                        return;
                    }
                    synchronized (output) {
                        output.wait(10);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted waiting for the dnsmasq log"));
        }
        throw new UncheckedIOException(new IOException("dnsmasq did not log probe " + probe + " within " + LOG_TIMEOUT));
    }

    private boolean logged(String probe) {
        synchronized (output) {
            for (int i = output.size() - 1; i >= 0; i--) {
                if (output.get(i).contains("] " + probe + " from")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isProbe(String name) {
        return stripDot(name).toLowerCase(Locale.ROOT).endsWith(PROBE_DOMAIN);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Sends a standard query for {@code name} A, recursion desired; the answer is not read here. */
    private static void query(DatagramSocket socket, InetSocketAddress server, String name) throws IOException {
        byte[] packet = queryPacket(name, 1);
        socket.send(new DatagramPacket(packet, packet.length, server));
    }

    /** A DNS query message (RFC 1035 §4.1) for {@code name} of class IN, type {@code type}. */
    static byte[] queryPacket(String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) (name.hashCode() & 0xffff)); // id: the probe does not check it
        b.putShort((short) 0x0100);                     // standard query, RD
        b.putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : stripDot(name).split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("bad DNS label in " + name);
            }
            b.put((byte) bytes.length).put(bytes);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        byte[] packet = new byte[b.position()];
        b.flip().get(packet);
        return packet;
    }

    /** Waits until the server answers a query (any answer) or {@link #START_TIMEOUT} passes. */
    private boolean awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        byte[] buffer = new byte[512];
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(50);
            while (System.nanoTime() < deadline && process.isAlive()) {
                query(socket, address, "ready." + PROBE_DOMAIN);
                try {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    return true;
                } catch (SocketTimeoutException e) {
                    // not listening yet: ask again
                }
            }
        }
        return false;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended and its pipe closed under us: nothing more to read
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now (another process may take it later). */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
                    return port;
                } catch (IOException taken) {
                    // TCP side in use: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    /**
     * Records and options for a {@link Dnsmasq}; every method returns this builder. Names are
     * written without the final dot.
     */
    public static final class Builder {
        private final List<String> domains = new ArrayList<>();
        private final List<String> records = new ArrayList<>();
        private final List<String> extra = new ArrayList<>();
        private Duration ttl = Duration.ZERO;
        private boolean authoritative;

        private Builder() {
        }

        /**
         * A domain this server answers for alone ({@code --local=/<domain>/}): a name under it
         * without a record gets NXDOMAIN. At least one is needed; may be called again for more.
         */
        public Builder domain(String domain) {
            domains.add(name(domain));
            return this;
        }

        /**
         * A NAPTR record ({@code --naptr-record}).
         *
         * @param name the owner, e.g. {@code "example.test"}
         * @param order lower first (0–65535)
         * @param preference lower first among equal orders (0–65535)
         * @param flags e.g. {@code "s"}
         * @param service e.g. {@code "SIP+D2T"}
         * @param regexp usually {@code ""}
         * @param replacement e.g. {@code "_sip._tcp.example.test"}
         */
        public Builder naptr(String name, int order, int preference, String flags, String service, String regexp,
                             String replacement) {
            records.add("--naptr-record=" + name(name) + "," + u16(order) + "," + u16(preference) + ","
                    + field(flags) + "," + field(service) + "," + field(regexp) + "," + name(replacement));
            return this;
        }

        /**
         * An SRV record ({@code --srv-host}).
         *
         * @param name e.g. {@code "_sip._udp.example.test"}
         * @param target the host name of the server
         * @param port its port
         * @param priority lower first (0–65535)
         * @param weight relative share within a priority (0–65535)
         */
        public Builder srv(String name, String target, int port, int priority, int weight) {
            records.add("--srv-host=" + name(name) + "," + name(target) + "," + u16(port) + "," + u16(priority)
                    + "," + u16(weight));
            return this;
        }

        /** An SRV record with target {@code "."}: the service is not offered at this domain (RFC 2782). */
        public Builder srvUnavailable(String name) {
            records.add("--srv-host=" + name(name));
            return this;
        }

        /** A and/or AAAA records ({@code --host-record}) for IPv4 and IPv6 literals, served with {@link #ttl}. */
        public Builder host(String name, String... addresses) {
            records.add("--host-record=" + name(name) + "," + addresses(addresses));
            return this;
        }

        /**
         * A and/or AAAA records with their own TTL (ignored in {@link #authoritative()} mode, where
         * every record has {@link #ttl}).
         */
        public Builder host(String name, Duration ttl, String... addresses) {
            records.add("--host-record=" + name(name) + "," + addresses(addresses) + "," + seconds(ttl));
            return this;
        }

        /** A CNAME record ({@code --cname}): {@code alias} is another name for {@code target}. */
        public Builder cname(String alias, String target) {
            records.add("--cname=" + name(alias) + "," + name(target));
            return this;
        }

        /** The TTL of every record ({@code --local-ttl}; {@code --auth-ttl} too when authoritative). Default 0. */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            seconds(ttl);
            return this;
        }

        /**
         * Serves the domains authoritatively, so negative answers carry an SOA (TTL and MINIMUM =
         * {@link #ttl}) that an RFC 2308 cache may keep them for; see the class description for
         * what else changes.
         */
        public Builder authoritative() {
            this.authoritative = true;
            return this;
        }

        /** Any other dnsmasq option, e.g. {@code "--txt-record=example.test,hello"}; added as given. */
        public Builder option(String option) {
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("not a long option: " + option);
            }
            extra.add(option);
            return this;
        }

        /**
         * Starts dnsmasq on a free 127.0.0.1 port and waits until it answers a query.
         *
         * @throws IllegalStateException if no domain was given or dnsmasq is not installed
         * @throws IOException if dnsmasq does not start or answer within 10 s; the message has its output
         */
        public Dnsmasq start() throws IOException {
            if (domains.isEmpty()) {
                throw new IllegalStateException("no domain: call domain(...) so unknown names get NXDOMAIN");
            }
            Path binary = binary();
            if (binary == null) {
                throw new IllegalStateException("dnsmasq is not installed (Debian package dnsmasq-base)");
            }
            // An empty file of our own, not /dev/null: where /dev/null is not the device (a container
            // that lost it gets a regular file that collects whatever is written to it), dnsmasq
            // would read that as its configuration and stop at "bad option at line 1 of /dev/null".
            Path emptyConf = Files.createTempFile("parley-dnsmasq-", ".conf");
            try {
                return start(binary, emptyConf);
            } finally {
                Files.deleteIfExists(emptyConf);   // read at start-up only
            }
        }

        private Dnsmasq start(Path binary, Path emptyConf) throws IOException {
            IOException last = null;
            // The free port may be taken between our check and dnsmasq's bind: then try another.
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                List<String> command = command(binary, port, emptyConf);
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                Dnsmasq dns = new Dnsmasq(process, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
                        List.copyOf(command));
                boolean ready;
                try {
                    ready = dns.awaitReady();
                } catch (IOException | RuntimeException e) {
                    dns.close();
                    throw e;
                }
                if (ready) {
                    return dns;
                }
                dns.close();
                last = new IOException("dnsmasq did not answer on 127.0.0.1:" + port + " (exit "
                        + (process.isAlive() ? "none" : process.exitValue()) + "): " + command + "\n" + dns.output());
                if (!dns.output().contains("Address already in use")) {
                    break;
                }
            }
            throw last;
        }

        private List<String> command(Path binary, int port, Path emptyConf) {
            List<String> c = new ArrayList<>(List.of(binary.toString(), "--keep-in-foreground", "--no-resolv", "--no-hosts",
                    "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port, "--conf-file=" + emptyConf,
                    "--user=" + System.getProperty("user.name"), "--pid-file=", "--log-queries", "--log-facility=-",
                    "--local-ttl=" + seconds(ttl)));
            for (String d : domains) {
                c.add("--local=/" + d + "/");
            }
            if (authoritative) {
                String first = domains.getFirst();
                c.add("--auth-server=ns." + first + ",127.0.0.1");
                for (String d : domains) {
                    c.add("--auth-zone=" + d);
                }
                c.add("--auth-soa=1,hostmaster." + first);
                c.add("--auth-ttl=" + seconds(ttl));
            }
            c.addAll(records);
            c.addAll(extra);
            return c;
        }

        private static String name(String name) {
            String n = stripDot(Objects.requireNonNull(name, "name"));
            if (n.isEmpty() || n.contains(",") || n.contains("/") || n.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("bad DNS name: '" + name + "'");
            }
            return n;
        }

        private static String field(String value) {
            if (value.contains(",")) {
                throw new IllegalArgumentException("dnsmasq cannot take a comma in a field: " + value);
            }
            return value;
        }

        private static String addresses(String... addresses) {
            if (addresses.length == 0) {
                throw new IllegalArgumentException("no address");
            }
            for (String a : addresses) {
                // Literals only: a name here would make dnsmasq fail at start-up with a less clear message.
                InetAddress.ofLiteral(a);
            }
            return String.join(",", addresses);
        }

        private static int u16(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("out of 0..65535: " + value);
            }
            return value;
        }

        private static long seconds(Duration d) {
            if (d.isNegative() || d.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("TTL out of range: " + d);
            }
            return d.toSeconds();
        }
    }
}
