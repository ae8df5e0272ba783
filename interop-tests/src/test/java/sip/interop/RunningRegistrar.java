package sip.interop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import sip.interop.script.SipPeers;
import sip.message.SipUri;
import sip.router.RequestHandler;
import sip.router.Scheduler;
import sip.router.TransactionStats;
import sip.router.UserAgent;
import sip.router.auth.DigestAuthenticator;
import sip.router.registrar.AddressOfRecord;
import sip.router.registrar.Binding;
import sip.router.registrar.LocationService;
import sip.router.registrar.RegisterAuthorizer;
import sip.router.registrar.Registrar;

/**
 * A Parley {@link Registrar} over an in-memory {@link LocationService}, served by a real
 * {@link UserAgent} listening on 127.0.0.1 (UDP and TCP on the same port), optionally behind a
 * {@link DigestAuthenticator}. It counts the REGISTERs that reached the registrar itself (after
 * authentication) and the users that authenticated, so a test can tell a challenged request from
 * an accepted one. Bindings expire on wall-clock time
 * ({@link Scheduler#system()}); the registrar owns the store and closes it.
 */
final class RunningRegistrar implements AutoCloseable {

    /** The registrar's domain, and the realm of its authenticator: the address peers send to. */
    static final String DOMAIN = "127.0.0.1";

    private final UserAgent ua;
    private final Registrar registrar;
    private final LocationService store;
    private final int port;
    private final LongAdder registered = new LongAdder();
    private final LongAdder arrived = new LongAdder();
    private final Set<String> users = ConcurrentHashMap.newKeySet();

    /** A registrar letting everyone register. */
    RunningRegistrar() throws IOException {
        this(null);
    }

    /** A registrar whose REGISTERs must pass {@code auth} first; none when null. */
    RunningRegistrar(DigestAuthenticator auth) throws IOException {
        store = LocationService.inMemory(Scheduler.system());
        registrar = Registrar.newBuilder(store)
                .domains(DOMAIN)
                .authorizer(RegisterAuthorizer.allowAll())
                .build();
        RequestHandler process = registrar.handler();
        RequestHandler counted = tx -> {
            registered.increment();
            process.handle(tx);
        };
        RequestHandler guarded = auth == null ? counted : auth.protect((tx, user) -> {
            users.add(user);
            counted.handle(tx);
        });
        ua = UserAgent.newBuilder().name("parley-interop-registrar").timers(CallAnswerer.FAST)
                .closeTimeout(Duration.ofSeconds(1)).build();
        try {
            // A UDP port alone may have its TCP twin in use: one free for both.
            port = SipPeers.freePort();
            ua.listen("udp", DOMAIN + ":" + port);
            ua.listen("tcp", DOMAIN + ":" + port);
        } catch (IOException | RuntimeException e) {
            ua.close();
            registrar.close();
            throw e;
        }
        ua.server().onRegister(tx -> {
            arrived.increment();
            guarded.handle(tx);
        });
    }

    int port() {
        return port;
    }

    LocationService store() {
        return store;
    }

    /** The live bindings of {@code sip:user@127.0.0.1}, by preference. */
    List<Binding> bindings(String user) {
        return store.lookup(AddressOfRecord.of(SipUri.of(user, DOMAIN, -1)));
    }

    /** REGISTERs that reached the registrar (authenticated ones only, when protected). */
    long registered() {
        return registered.sum();
    }

    /** REGISTERs that reached the server's handler, challenged ones included. */
    long arrived() {
        return arrived.sum();
    }

    /** The user names that authenticated. */
    Set<String> authenticatedUsers() {
        return Set.copyOf(users);
    }

    TransactionStats awaitIdle() throws InterruptedException {
        return LiveTransactions.awaitZero(ua);
    }

    @Override
    public void close() {
        ua.close();
        registrar.close();
    }
}
