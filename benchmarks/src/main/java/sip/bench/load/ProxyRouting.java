package sip.bench.load;

import java.net.InetSocketAddress;
import sip.router.UserAgent;
import sip.router.registrar.LocationService;
import sip.router.registrar.Registrar;

/**
 * The routing of {@link LoadProxy}, in Java: REGISTER to the registrar; any other request to the
 * contacts registered for its Request-URI, else to the fixed UAS, record-routed.
 */
final class ProxyRouting {

    ProxyRouting(UserAgent ua, Registrar registrar, LocationService location, InetSocketAddress uas) {
        ua.server().onRegister(registrar.handler());
    }

    /** Counters for the {@code stats} line, {@code name=value} pairs. */
    String stats() {
        return "contexts=-";
    }
}
