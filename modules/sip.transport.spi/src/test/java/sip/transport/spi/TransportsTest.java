package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Finding providers: what the user is told when one is missing, or when two compete. */
class TransportsTest {

    /** A provider serving the given protocols; opens nothing. */
    private static class FakeProvider implements TransportProvider {
        private final Set<Protocol> protocols;

        FakeProvider(Protocol... protocols) {
            this.protocols = Set.of(protocols);
        }

        @Override
        public Set<Protocol> protocols() {
            return protocols;
        }

        @Override
        public Transport open(Protocol protocol, TransportConfig config, InboundHandler handler) {
            throw new UnsupportedOperationException("a fake");
        }
    }

    private static final class OtherFakeProvider extends FakeProvider {
        OtherFakeProvider(Protocol... protocols) {
            super(protocols);
        }
    }

    private static final Protocol SCTP = new Protocol("sctp", true, false, false, 5060);

    @Test
    void noProviderIsOnThisModulePath() {
        assertEquals(List.of(), Transports.providers(), "only the SPI and sip.message are here");
        assertEquals(List.of(), Transports.providers(ModuleLayer.boot()));
        assertTrue(Transports.find("udp").isEmpty());
    }

    @Test
    void aMissingParleyProviderNamesTheModuleToAdd() {
        NoTransportProviderException e = assertThrows(NoTransportProviderException.class,
                () -> Transports.provider("ws"));
        assertEquals("no transport provider for 'ws' on the module path; add sip.transport.ws", e.getMessage());
        assertEquals("ws", e.protocol());
    }

    @ParameterizedTest
    @CsvSource({"udp,udp,sip.transport.udp", "TCP,tcp,sip.transport.tcp", "Tls,tls,sip.transport.tls",
        "WSS,wss,sip.transport.ws"})
    void namesAreCaseInsensitive(String asked, String name, String module) {
        NoTransportProviderException e = assertThrows(NoTransportProviderException.class,
                () -> Transports.provider(asked));
        assertEquals("no transport provider for '" + name + "' on the module path; add " + module, e.getMessage());
        assertEquals(name, e.protocol());
    }

    @Test
    void anUnknownProtocolGetsTheGenericHint() {
        NoTransportProviderException e = assertThrows(NoTransportProviderException.class,
                () -> Transports.provider("sctp"));
        assertEquals("no transport provider for 'sctp' on the module path; add a module that provides "
                + "sip.transport.spi.TransportProvider for it", e.getMessage());
    }

    @Test
    void openAndProtocolFailTheSameWay() {
        assertThrows(NoTransportProviderException.class, () -> Transports.protocol("udp"));
        assertThrows(NoTransportProviderException.class,
                () -> Transports.open("udp", TransportConfig.defaults(), (c, m) -> { }));
        assertThrows(NullPointerException.class, () -> Transports.provider(null));
    }

    @Test
    void selectFindsTheOneProviderOfAProtocolWhateverTheCase() {
        FakeProvider udpAndSctp = new FakeProvider(Protocol.UDP, SCTP);
        FakeProvider tcp = new FakeProvider(Protocol.TCP);
        List<TransportProvider> providers = List.of(tcp, udpAndSctp);
        assertSame(udpAndSctp, Transports.select(providers, "SCTP").orElseThrow());
        assertSame(udpAndSctp, Transports.select(providers, "udp").orElseThrow());
        assertSame(tcp, Transports.select(providers, "Tcp").orElseThrow());
        assertTrue(Transports.select(providers, "tls").isEmpty());
        assertSame(tcp, Transports.select(List.of(tcp, tcp), "tcp").orElseThrow(), "one provider listed twice");
    }

    @Test
    void twoProvidersOfOneProtocolAreAnErrorNamingBoth() {
        List<TransportProvider> providers = List.of(new FakeProvider(SCTP), new OtherFakeProvider(SCTP));
        NoTransportProviderException e = assertThrows(NoTransportProviderException.class,
                () -> Transports.select(providers, "Sctp"));
        String m = e.getMessage();
        assertTrue(m.startsWith("two transport providers for 'sctp': "), m);
        assertTrue(m.contains("sip.transport.spi (" + FakeProvider.class.getName() + ")"), m);
        assertTrue(m.contains("sip.transport.spi (" + OtherFakeProvider.class.getName() + ")"), m);
        assertTrue(m.endsWith("; keep one on the module path"), m);
        assertEquals("sctp", e.protocol());
        assertTrue(Transports.select(providers, "udp").isEmpty(), "other protocols are unaffected");
    }

    @Test
    void aProviderThatFailsToLoadIsSkippedAndTheOthersStillServe() {
        TransportProvider good = new FakeProvider(Protocol.UDP);
        java.util.List<java.util.ServiceLoader.Provider<TransportProvider>> candidates = java.util.List.of(
                candidate(() -> {
                    throw new java.util.ServiceConfigurationError("constructor threw");
                }),
                candidate(() -> {
                    throw new IllegalStateException("static init failed");
                }),
                candidate(() -> good));
        java.util.Iterator<java.util.ServiceLoader.Provider<TransportProvider>> inner = candidates.iterator();
        boolean[] brokenEntry = {true};
        java.util.Iterator<java.util.ServiceLoader.Provider<TransportProvider>> it = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return brokenEntry[0] || inner.hasNext();
            }

            @Override
            public java.util.ServiceLoader.Provider<TransportProvider> next() {
                if (brokenEntry[0]) {
                    brokenEntry[0] = false; // a services entry naming a missing class
                    throw new java.util.ServiceConfigurationError("com.acme.Missing not found");
                }
                return inner.next();
            }
        };
        assertEquals(java.util.List.of(good), Transports.load(it));
    }

    private static java.util.ServiceLoader.Provider<TransportProvider> candidate(
            java.util.function.Supplier<TransportProvider> make) {
        return new java.util.ServiceLoader.Provider<>() {
            @Override
            public Class<? extends TransportProvider> type() {
                return TransportProvider.class;
            }

            @Override
            public TransportProvider get() {
                return make.get();
            }
        };
    }

    @Test
    void aLookupThatFailsForEverEndsWithWhatLoaded() {
        java.util.Iterator<java.util.ServiceLoader.Provider<TransportProvider>> broken = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new java.util.ServiceConfigurationError("cannot read META-INF/services");
            }

            @Override
            public java.util.ServiceLoader.Provider<TransportProvider> next() {
                throw new AssertionError("never reached");
            }
        };
        assertEquals(List.of(), Transports.load(broken));
    }
}
