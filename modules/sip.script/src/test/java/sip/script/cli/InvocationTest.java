package sip.script.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sip.script.internal.cli.ParleyCommand;

/** Command-line syntax: what is refused with exit status 2 and which message, what is accepted. */
class InvocationTest {

    private final Console out = new Console();
    private final Console err = new Console();

    private int parley(String... args) {
        return new ParleyCommand(out.stream, err.stream).execute(List.of(args));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            udp:1.2.3              | parley: bad --listen 'udp:1.2.3': expected PROTO:HOST:PORT, e.g. udp:127.0.0.1:5060
            127.0.0.1:5060         | parley: bad --listen '127.0.0.1:5060': bad protocol '127.0.0.1'; expected PROTO:HOST:PORT, e.g. udp:127.0.0.1:5060
            udp:127.0.0.1:70000    | parley: bad --listen 'udp:127.0.0.1:70000': bad port '70000'; expected 0 to 65535
            udp:127.0.0.1:x        | parley: bad --listen 'udp:127.0.0.1:x': bad port 'x'; expected 0 to 65535
            udp:127.0.0.1:         | parley: bad --listen 'udp:127.0.0.1:': expected PROTO:HOST:PORT, e.g. udp:127.0.0.1:5060
            udp:::1:5060           | parley: bad --listen 'udp:::1:5060': bad host '::1' (an IPv6 address goes in brackets: udp:[::1]:5060)
            ':5060'                | parley: bad --listen ':5060': expected PROTO:HOST:PORT, e.g. udp:127.0.0.1:5060
            """)
    void badListenIsAUsageErrorNamingTheValue(String listen, String message) {
        assertEquals(2, parley("run", "proxy.js", "--listen", listen));
        assertEquals(message, err.lines().getFirst());
        assertTrue(err.text().contains("usage: parley run SCRIPT"), err.text());
        assertEquals(List.of(), out.lines());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                                           | parley: no command given
            run                                          | parley: run needs a SCRIPT
            run a.js b.js                                | parley: unexpected argument 'b.js' (run takes one SCRIPT)
            run a.js --listen                            | parley: --listen needs a value
            run a.js --tls-cert c.pem                    | parley: --tls-cert and --tls-key go together
            run a.js --workers 0                         | parley: bad --workers '0': expected a whole number of at least 1
            run a.js --workers=two                       | parley: bad --workers 'two': expected a whole number of at least 1
            run a.js --verbose                           | parley: unknown option --verbose for run
            check                                        | parley: check needs a SCRIPT
            check a.js b.js                              | parley: unexpected argument 'b.js' after check
            reload                                       | parley: reload needs a SCRIPT
            serve a.js                                   | parley: unknown command 'serve'
            --frobnicate                                 | parley: unknown option --frobnicate
            --version now                                | parley: unexpected argument 'now' after --version
            """)
    void badSyntaxIsAUsageError(String line, String message) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertEquals(2, parley(args));
        assertEquals(message, err.lines().getFirst());
        assertEquals("Run 'parley --help' for details.", err.lines().getLast());
    }

    @Test
    void listenAcceptsIpv6AndEqualsForms() {
        // Syntax accepted: the next complaint is about the missing file, exit status 1.
        assertEquals(1, parley("run", "nope.js", "--listen=udp:[::1]:5060", "--listen", "TCP:localhost:0", "--workers=2"));
        assertEquals(List.of("parley: nope.js: no such file"), err.lines());
    }

    @Test
    void helpAndVersionGoToStandardOutput() {
        assertEquals(0, parley("--help"));
        assertTrue(out.text().startsWith("usage: parley run SCRIPT [--listen PROTO:HOST:PORT]..."), out.text());
        assertTrue(out.text().contains("Exit status: 0 success, 1 error"), out.text());
        assertEquals(0, parley("run", "--help"));
        assertEquals(0, parley("--version"));
        assertTrue(out.lines().getLast().matches("parley \\S+ \\(Java 25.*\\)"), out.lines().getLast());
        assertEquals(List.of(), err.lines());
    }

    @ParameterizedTest
    @CsvSource({"run", "check", "reload"})
    void missingScriptIsNamed(String command) {
        assertEquals(1, parley(command, "examples/nope.js"));
        assertEquals(List.of("parley: examples/nope.js: no such file"), err.lines());
    }
}
