package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sip.message.Compliance;
import sip.message.SipParser;

class TransportConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        TransportConfig c = TransportConfig.defaults();
        assertEquals(4096, c.maxConnections());
        assertEquals(Duration.ofSeconds(120), c.idleTimeout());
        assertEquals(Duration.ofSeconds(10), c.messageReadTimeout());
        assertEquals(Duration.ofSeconds(10), c.writeTimeout());
        assertEquals(Duration.ofSeconds(10), c.connectTimeout());
        assertEquals(Duration.ofSeconds(10), c.handshakeTimeout());
        assertEquals(1300, c.mtu());
        assertEquals(4096, c.receiveQueueCapacity());
        assertEquals(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), c.receiveWorkers());
        assertEquals(1 << 20, c.socketReceiveBuffer());
        assertEquals(Optional.empty(), c.tls());
        assertEquals(Compliance.LENIENT, c.parser().compliance());
        assertEquals(Optional.empty(), c.extension(String.class));
        assertTrue(c.threadFactory().newThread(() -> { }).isVirtual(), "virtual threads by default");
    }

    /** Each duration setter of the builder, by name. */
    private static Function<Duration, TransportConfig.Builder> setter(String name) {
        TransportConfig.Builder b = TransportConfig.newBuilder();
        return switch (name) {
            case "idleTimeout" -> b::idleTimeout;
            case "messageReadTimeout" -> b::messageReadTimeout;
            case "writeTimeout" -> b::writeTimeout;
            case "connectTimeout" -> b::connectTimeout;
            case "handshakeTimeout" -> b::handshakeTimeout;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"idleTimeout", "messageReadTimeout", "writeTimeout", "connectTimeout", "handshakeTimeout"})
    void durationsMayBeZeroButNotNegativeOrNull(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> setter(name).apply(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().startsWith(name + " must not be negative"), e.getMessage());
        assertThrows(NullPointerException.class, () -> setter(name).apply(null));
        setter(name).apply(Duration.ZERO); // turns the timeout off
    }

    @Test
    void zeroTurnsATimeoutOff() {
        assertEquals(Duration.ZERO, TransportConfig.newBuilder().idleTimeout(Duration.ZERO).build().idleTimeout());
    }

    @Test
    void mtuRange() {
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.newBuilder().mtu(199));
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.newBuilder().mtu(65_508));
        assertEquals(200, TransportConfig.newBuilder().mtu(200).build().mtu());
        assertEquals(65_507, TransportConfig.newBuilder().mtu(65_507).build().mtu());
    }

    @Test
    void countsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.newBuilder().maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.newBuilder().receiveQueueCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.newBuilder().receiveWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.newBuilder().socketReceiveBuffer(-1));
        assertEquals(0, TransportConfig.newBuilder().socketReceiveBuffer(0).build().socketReceiveBuffer(),
                "0 keeps the operating system's default");
        TransportConfig c = TransportConfig.newBuilder().maxConnections(1).receiveQueueCapacity(1).receiveWorkers(1)
                .build();
        assertEquals(1, c.maxConnections() * c.receiveQueueCapacity() * c.receiveWorkers());
    }

    /** A provider-specific setting. */
    private record Knob(int level) {
    }

    @Test
    void extensionsAreFoundByTheirType() {
        Knob knob = new Knob(3);
        TransportConfig c = TransportConfig.newBuilder().extension(Knob.class, knob).build();
        assertSame(knob, c.extension(Knob.class).orElseThrow());
        assertEquals(Optional.empty(), c.extension(Integer.class));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void anExtensionMustBeOfItsType() {
        Class raw = Knob.class;
        assertThrows(ClassCastException.class, () -> TransportConfig.newBuilder().extension(raw, "not a knob"));
        assertThrows(NullPointerException.class, () -> TransportConfig.newBuilder().extension(Knob.class, null));
        assertThrows(NullPointerException.class, () -> TransportConfig.newBuilder().extension(null, "x"));
    }

    @Test
    void toBuilderKeepsEverythingAndBuiltConfigsAreImmutable() {
        SipParser strict = SipParser.strict();
        ThreadFactory factory = Thread.ofPlatform().daemon().factory();
        TlsConfig tls = TlsConfig.newBuilder().build();
        TransportConfig.Builder builder = TransportConfig.newBuilder().parser(strict).maxConnections(7)
                .idleTimeout(Duration.ofSeconds(1)).messageReadTimeout(Duration.ofSeconds(2))
                .writeTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(4))
                .handshakeTimeout(Duration.ofSeconds(5)).mtu(1400).receiveQueueCapacity(8).receiveWorkers(9)
                .socketReceiveBuffer(4096).tls(tls).threadFactory(factory).extension(Knob.class, new Knob(1));
        TransportConfig c = builder.build();
        builder.maxConnections(99).extension(Knob.class, new Knob(2)); // after build: no effect on c

        TransportConfig copy = c.toBuilder().build();
        assertNotSame(c, copy);
        for (TransportConfig x : new TransportConfig[] {c, copy}) {
            assertSame(strict, x.parser());
            assertEquals(7, x.maxConnections());
            assertEquals(4096, x.socketReceiveBuffer());
            assertEquals(Duration.ofSeconds(1), x.idleTimeout());
            assertEquals(Duration.ofSeconds(2), x.messageReadTimeout());
            assertEquals(Duration.ofSeconds(3), x.writeTimeout());
            assertEquals(Duration.ofSeconds(4), x.connectTimeout());
            assertEquals(Duration.ofSeconds(5), x.handshakeTimeout());
            assertEquals(1400, x.mtu());
            assertEquals(8, x.receiveQueueCapacity());
            assertEquals(9, x.receiveWorkers());
            assertSame(tls, x.tls().orElseThrow());
            assertSame(factory, x.threadFactory());
            assertEquals(new Knob(1), x.extension(Knob.class).orElseThrow());
        }
    }

    @Test
    void requiredObjectsAreNotNull() {
        assertThrows(NullPointerException.class, () -> TransportConfig.newBuilder().parser(null));
        assertThrows(NullPointerException.class, () -> TransportConfig.newBuilder().tls(null));
        assertThrows(NullPointerException.class, () -> TransportConfig.newBuilder().threadFactory(null));
    }
}
