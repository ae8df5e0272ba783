package sip.fuzz.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link HostileResponder} of one test class, started before its tests and closed after
 * them: {@code @RegisterExtension static final ClassResponder responder = new ClassResponder();}.
 */
final class ClassResponder implements BeforeAllCallback, AfterAllCallback {
    private HostileResponder responder;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        responder = HostileResponder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        responder.close();
    }

    InetSocketAddress address() {
        return responder.address();
    }

    void serve(HostileResponder.Answers a) {
        responder.serve(a);
    }

    Throwable failure() {
        return responder.failure();
    }
}
