package sip.script.internal.js;

import java.time.Instant;
import org.graalvm.polyglot.HostAccess.Export;
import sip.router.proxy.Target;
import sip.router.registrar.Binding;

/**
 * A registered contact as {@code sip.location.lookup} and {@code sip.registrar.save} return it:
 * the prelude copies its fields into a frozen JS object that {@code sip.relay} accepts as a
 * target (reaching the contact over its registration flow when needed, as
 * {@link Target#of(Binding)} says).
 */
public final class JsContact {

    private final Binding binding;
    private final Instant now;

    JsContact(Binding binding, Instant now) {
        this.binding = binding;
        this.now = now;
    }

    Target target() {
        return Target.of(binding);
    }

    @Export public String uri() {
        return binding.uri().toString();
    }

    @Export public double q() {
        return binding.q();
    }

    @Export public double expires() {
        return binding.remainingSeconds(now);
    }

    @Export public String[] path() {
        return binding.path().stream().map(Object::toString).toArray(String[]::new);
    }
}
