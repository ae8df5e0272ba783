package sip.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline for {@link TransportEchoBenchmark}: the same 600-byte echo, window and threads
 * (virtual readers, blocking I/O), on bare JDK sockets with no SIP at all — no parsing, no
 * framing (TCP counts bytes), no counters, no flows. What Parley's transports cost is the
 * difference between the two in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawSocketEchoBenchmark {

    static final int WINDOW = TransportEchoBenchmark.WINDOW;

    @Param({"udp", "tcp"})
    public String protocol;

    private final EchoWindow window = new EchoWindow(WINDOW);
    private volatile boolean running = true;
    private byte[] message;
    private DatagramChannel udpServer;
    private DatagramChannel udpClient;
    private ServerSocket tcpServer;
    private Socket tcpClient;
    private OutputStream tcpOut;

    @Setup(Level.Trial)
    public void open() throws IOException {
        message = TransportEchoBenchmark.message600();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        if (protocol.equals("udp")) {
            udpServer = DatagramChannel.open().bind(loopback);
            udpClient = DatagramChannel.open().bind(loopback);
            udpClient.connect(udpServer.getLocalAddress());
            Thread.ofVirtual().start(this::udpEchoLoop);
            Thread.ofVirtual().start(this::udpClientLoop);
        } else {
            tcpServer = new ServerSocket();
            tcpServer.bind(loopback);
            Thread.ofVirtual().start(this::tcpAcceptAndEcho);
            tcpClient = new Socket();
            tcpClient.setTcpNoDelay(true);
            tcpClient.connect(tcpServer.getLocalSocketAddress());
            tcpOut = tcpClient.getOutputStream();
            Thread.ofVirtual().start(this::tcpClientLoop);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        running = false;
        if (udpServer != null) {
            udpServer.close();
            udpClient.close();
        } else {
            tcpClient.close();
            tcpServer.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public int echo() throws IOException {
        return window.run(() -> {
            if (udpClient != null) {
                udpClient.write(ByteBuffer.wrap(message));
            } else {
                tcpOut.write(message);
            }
        });
    }

    private void udpEchoLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65_535);
        try {
            while (running) {
                buf.clear();
                SocketAddress from = udpServer.receive(buf);
                buf.flip();
                udpServer.send(buf, from);
            }
        } catch (IOException closed) {
            // end of the trial
        }
    }

    private void udpClientLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65_535);
        try {
            while (running) {
                buf.clear();
                udpClient.receive(buf);
                arrived(1);
            }
        } catch (IOException closed) {
            // end of the trial
        }
    }

    private void tcpAcceptAndEcho() {
        try (Socket s = tcpServer.accept()) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16_384];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException closed) {
            // end of the trial
        }
    }

    private void tcpClientLoop() {
        byte[] buf = new byte[16_384];
        long bytes = 0;
        try {
            InputStream in = tcpClient.getInputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                bytes += n;
                int whole = (int) (bytes / message.length);
                if (whole > 0) {
                    bytes -= (long) whole * message.length;
                    arrived(whole);
                }
            }
        } catch (IOException closed) {
            // end of the trial
        }
    }

    private void arrived(int n) {
        window.arrived(n);
    }
}
