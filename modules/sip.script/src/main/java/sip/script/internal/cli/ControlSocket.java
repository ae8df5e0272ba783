package sip.script.internal.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix-domain socket through which {@code parley reload SCRIPT} reaches the
 * {@code parley run} of the same script. Its path derives from the script's real path, so any
 * spelling of the script (relative, absolute, through a link) finds it:
 * {@code ${java.io.tmpdir}/parley-<16 hex of SHA-256(real path)>.sock}, readable and writable by
 * its owner only.
 *
 * <p>Protocol: the client writes one command line ({@value #RELOAD}), the server answers one
 * line and closes. Each connection is served on its own virtual thread, so a client that sends
 * nothing holds up no one.
 */
final class ControlSocket implements AutoCloseable {

    static final String RELOAD = "reload";
    private static final int MAX_COMMAND = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

    private final Path path;
    private final ServerSocketChannel server;
    private final UnaryOperator<String> commands;
    private final Thread acceptor;

    private ControlSocket(Path path, ServerSocketChannel server, UnaryOperator<String> commands) {
        this.path = path;
        this.server = server;
        this.commands = commands;
        this.acceptor = Thread.ofVirtual().name("parley-control").start(this::accept);
    }

    /** Where the control socket of {@code script} lives. */
    static Path pathFor(Path script) {
        Path real;
        try {
            real = script.toRealPath();
        } catch (IOException e) {
            real = script.toAbsolutePath().normalize();
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(real.toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(System.getProperty("java.io.tmpdir"), "parley-" + HexFormat.of().formatHex(hash, 0, 8) + ".sock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Binds the socket and serves {@code commands} (command line → reply line) on it.
     *
     * @return empty when a live {@code parley run} of the same script holds the socket already
     *     (a stale file left by a killed process is replaced)
     */
    static Optional<ControlSocket> open(Path path, UnaryOperator<String> commands) throws IOException {
        if (Files.exists(path)) {
            if (isLive(path)) {
                return Optional.empty();
            }
            Files.deleteIfExists(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions guard it
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return Optional.of(new ControlSocket(path, server, commands));
    }

    /**
     * Sends {@code command} and returns the reply line.
     *
     * @return empty when nothing listens at {@code path}
     * @throws IOException if the conversation breaks off
     */
    static Optional<String> request(Path path, String command) throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
            } catch (ConnectException e) {
                return Optional.empty();   // a stale file: its process is gone
            }
            OutputStream out = Channels.newOutputStream(channel);
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String reply = in.readLine();
            if (reply == null) {
                throw new IOException("the parley run closed the control connection without answering");
            }
            return Optional.of(reply);
        }
    }

    private static boolean isLive(Path path) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Path path() {
        return path;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket {}: accept failed", path, e);
                }
                return;
            }
            Thread.ofVirtual().name("parley-control-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            String command = readCommand(client);
            String reply = command == null ? "error: no command" : commands.apply(command);
            Channels.newOutputStream(client).write((reply + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warn("control socket {}: a client failed", path, e);
        }
    }

    /** One line of at most {@value #MAX_COMMAND} bytes, or null. */
    private static String readCommand(SocketChannel client) throws IOException {
        var in = Channels.newInputStream(client);
        byte[] line = new byte[MAX_COMMAND];
        int n = 0;
        for (int b; n < line.length && (b = in.read()) >= 0 && b != '\n'; ) {
            line[n++] = (byte) b;
        }
        return n == 0 ? null : new String(line, 0, n, StandardCharsets.UTF_8).strip();
    }

    /** Stops serving and removes the socket file. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("control socket {}: close failed", path, e);
        }
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("control socket {}: cannot remove the file", path, e);
        }
    }
}
