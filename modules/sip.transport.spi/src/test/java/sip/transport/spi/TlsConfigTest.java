package sip.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsConfigTest {

    @Test
    void defaults() {
        TlsConfig c = TlsConfig.newBuilder().build();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), c.protocols());
        assertEquals(new TlsConfig.TrustSource.SystemDefault(), c.trustSource());
        assertEquals(TlsConfig.ClientAuth.NONE, c.clientAuth());
        assertTrue(c.verifyServerIdentity());
        assertEquals(Optional.empty(), c.keySource());
        assertEquals(Optional.empty(), c.sslContext());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.1", "TLSv1", "SSLv3", "tlsv1.3", "TLSv1.4"})
    void onlyTls12And13AreAllowed(String version) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.newBuilder().protocols("TLSv1.3", version));
        assertEquals("TLS version not allowed: " + version + " (only TLSv1.3 and TLSv1.2)", e.getMessage());
    }

    @Test
    void aSubsetInAnyOrderIsKept() {
        assertEquals(List.of("TLSv1.2"), TlsConfig.newBuilder().protocols("TLSv1.2").build().protocols());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"),
                TlsConfig.newBuilder().protocols("TLSv1.2", "TLSv1.3").build().protocols());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.newBuilder().protocols());
    }

    @Test
    void sourcesAndSettings() {
        Path cert = Path.of("cert.pem");
        Path key = Path.of("key.pem");
        TlsConfig c = TlsConfig.newBuilder().certificate(cert, key).trustedCertificates(Path.of("ca.pem"))
                .clientAuth(TlsConfig.ClientAuth.NEED).verifyServerIdentity(false).build();
        assertEquals(new TlsConfig.KeySource.Pem(cert, key, Optional.empty()), c.keySource().orElseThrow());
        assertEquals(new TlsConfig.TrustSource.Pem(Path.of("ca.pem")), c.trustSource());
        assertEquals(TlsConfig.ClientAuth.NEED, c.clientAuth());
        assertTrue(!c.verifyServerIdentity());
    }

    @Test
    void sourcesRequireTheirParts() {
        assertThrows(NullPointerException.class,
                () -> new TlsConfig.KeySource.Pem(null, Path.of("k"), Optional.empty()));
        assertThrows(NullPointerException.class, () -> new TlsConfig.KeySource.Pkcs12(Path.of("k.p12"), null));
        assertThrows(NullPointerException.class, () -> new TlsConfig.TrustSource.Pem(null));
        assertThrows(NullPointerException.class, () -> TlsConfig.newBuilder().clientAuth(null));
        assertThrows(NullPointerException.class, () -> TlsConfig.newBuilder().trustedCertificates(null));
    }
}
