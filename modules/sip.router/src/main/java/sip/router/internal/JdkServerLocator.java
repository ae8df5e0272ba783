package sip.router.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import sip.message.SipUri;
import sip.router.Destination;
import sip.router.ServerLocator;

/** {@link ServerLocator#jdk()}: IP literals and JDK name resolution (RFC 3263 §4 without DNS records). */
public final class JdkServerLocator implements ServerLocator {
    public static final JdkServerLocator INSTANCE = new JdkServerLocator();

    private JdkServerLocator() {
    }

    @Override
    public List<Destination> locate(SipUri target, Set<String> protocols) throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }
}
