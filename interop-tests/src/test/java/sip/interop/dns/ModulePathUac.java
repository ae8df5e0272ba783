package sip.interop.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import org.xbill.DNS.ResolverConfig;
import sip.message.SipUri;
import sip.router.ServerLocator;
import sip.router.SipTimers;
import sip.router.UserAgent;

/**
 * The program {@link DnsServiceLoaderInteropTest} runs in a JVM of its own with Parley, sip.dns,
 * dnsjava and slf4j on the module path: a user agent built without {@code serverLocator(...)}
 * sends an OPTIONS and a call to the URI given, and prints one line per answer. The JVM's
 * {@code dns.server} property (read first by dnsjava's {@code ResolverConfig}) names the test's
 * dnsmasq as "the system's resolver".
 *
 * <p>Exit status: 0 all answered 200; 1 an answer was not 200; 2 usage; 3 refused to send
 * because a guard failed: the first {@link ServerLocator} service is not sip.dns's (the user
 * agent would fall back to the JDK resolver and ask the real system resolver for the name), or
 * dnsjava's system servers are not exactly the one given.
 */
public final class ModulePathUac {

    private ModulePathUac() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.out.println("usage: ModulePathUac SIP-URI DNS-SERVER-HOST:PORT");
            System.exit(2);
        }
        SipUri target = SipUri.parse(args[0]);
        String[] server = args[1].split(":");
        InetSocketAddress dns = new InetSocketAddress(server[0], Integer.parseInt(server[1]));

        // What UserAgent.Builder.build() does without a locator (ServiceLoader from sip.router).
        Optional<ServerLocator> first = ServiceLoader.load(ServerLocator.class).findFirst();
        String module = first.map(l -> String.valueOf(l.getClass().getModule().getName())).orElse("none");
        System.out.println("router module " + UserAgent.class.getModule().getName()
                + ", first ServerLocator " + first.map(l -> l.getClass().getName()).orElse("none") + " in module " + module);
        List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
        System.out.println("system DNS servers " + system);
        if (!module.equals("sip.dns") || !system.equals(List.of(dns))) {
            System.out.println("guard failed: not sending");
            System.exit(3);
        }

        SipTimers timers = new SipTimers(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(250));
        int failed = 0;
        try (LocatingUac uac = new LocatingUac(UserAgent.newBuilder().name("parley-dns-e2e").timers(timers).build())) {
            String callId = UUID.randomUUID() + "@parley.test";
            LocatingUac.Exchange options = uac.options(target, callId, 1);
            failed += report("OPTIONS", options);
            LocatingUac.Exchange invite = uac.invite(target, callId, 2);
            failed += report("INVITE", invite);
            if (invite.status() == 200) {
                failed += report("BYE", uac.bye(invite));
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int report(String method, LocatingUac.Exchange exchange) {
        System.out.println(method + " " + exchange.describe() + " over "
                + exchange.transaction().flow().map(Object::toString).orElse("no flow"));
        return exchange.status() == 200 ? 0 : 1;
    }
}
