package sip.transport.tls.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a server certificate names the SIP domain or IP address a client connected to
 * (RFC 5922 §7.1 and §7.2).
 *
 * <ul>
 *   <li>A domain matches a {@code uniformResourceIdentifier} SAN {@code sip:domain} (no user part;
 *   scheme {@code sip} only, port and parameters ignored) or a {@code dNSName} SAN.</li>
 *   <li>The subject's (most specific) common name is used only when the certificate has no
 *   subjectAltName extension at all (RFC 5922 §7.1).</li>
 *   <li>Names compare as whole DNS names: case-insensitive, internationalised names in their
 *   ASCII form, a trailing dot ignored. No suffix matching and no wildcards: RFC 5922 §7.2 says a
 *   {@code *.example.com} identity matches only the literal {@code *.example.com}.</li>
 *   <li>An IP address (no server name, or an IP literal as server name) matches only
 *   {@code iPAddress} SANs.</li>
 * </ul>
 */
public final class ServerIdentity {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    private ServerIdentity() {
    }

    /**
     * @param serverName the SIP domain connected to, an IP literal, or null
     * @param address the address connected to, used when {@code serverName} is null
     */
    public static boolean matches(X509Certificate certificate, String serverName, InetAddress address) {
        InetAddress literal = serverName == null ? address : ipLiteral(serverName);
        if (literal != null) {
            return sans(certificate, SAN_IP).stream().anyMatch(ip -> literal.equals(ipLiteral(ip)));
        }
        String domain = canonical(serverName);
        return domainIdentities(certificate).stream().anyMatch(id -> domain.equals(canonical(id)));
    }

    /** The identities a certificate carries, for error messages: {@code DNS:x}, {@code URI:sip:x}, ... */
    public static List<String> describe(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        sans(certificate, SAN_URI).forEach(n -> names.add("URI:" + n));
        sans(certificate, SAN_DNS).forEach(n -> names.add("DNS:" + n));
        sans(certificate, SAN_IP).forEach(n -> names.add("IP:" + n));
        String cn = commonName(certificate.getSubjectX500Principal());
        if (cn != null) {
            names.add("CN=" + cn);
        }
        return names;
    }

    /** True if {@code name} is an IPv4 or IPv6 literal (optionally in brackets), not a DNS name. */
    public static boolean isIpLiteral(String name) {
        return ipLiteral(name) != null;
    }

    private static List<String> domainIdentities(X509Certificate certificate) {
        List<String> uris = sans(certificate, SAN_URI);
        List<String> dns = sans(certificate, SAN_DNS);
        List<String> identities = new ArrayList<>(dns);
        for (String uri : uris) {
            String host = sipUriHost(uri);
            if (host != null) {
                identities.add(host);
            }
        }
        // RFC 5922 §7.1: the CN may be examined "if and only if the subjectAltName does not appear
        // in the certificate" at all; a certificate with only IP SANs names no domain.
        if (hasNoSubjectAltName(certificate)) {
            String cn = commonName(certificate.getSubjectX500Principal());
            if (cn != null) {
                identities.add(cn);
            }
        }
        return identities;
    }

    private static boolean hasNoSubjectAltName(X509Certificate certificate) {
        return certificate.getExtensionValue("2.5.29.17") == null;
    }

    /** The host of {@code sip:host[:port][;params]}; null for other schemes or a URI with a user part. */
    static String sipUriHost(String uri) {
        if (uri.length() < 5 || !uri.regionMatches(true, 0, "sip:", 0, 4) || uri.indexOf('@') >= 0) {
            return null;
        }
        String hostPort = uri.substring(4).split("[;?]", 2)[0];
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 ? hostPort.substring(0, close + 1) : null;
        }
        int colon = hostPort.indexOf(':');
        return colon >= 0 ? hostPort.substring(0, colon) : hostPort;
    }

    private static String canonical(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        try {
            n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException notAnIdn) {
            // compared as written; it cannot equal a valid name either way
        }
        return n.toLowerCase(Locale.ROOT);
    }

    private static InetAddress ipLiteral(String name) {
        String n = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        try {
            return InetAddress.ofLiteral(n);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    private static List<String> sans(X509Certificate certificate, int type) {
        Collection<List<?>> all;
        try {
            all = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of(); // an unparsable extension names nothing
        }
        if (all == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (List<?> san : all) {
            if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type && san.get(1) instanceof String s) {
                names.add(s);
            }
        }
        return names;
    }

    /** The first (most specific) CN of an RFC 2253 name, unescaped; null if there is none. */
    static String commonName(X500Principal subject) {
        String dn = subject.getName(X500Principal.RFC2253);
        int i = 0;
        while (i < dn.length()) {
            int equals = dn.indexOf('=', i);
            if (equals < 0) {
                return null;
            }
            boolean isCn = dn.regionMatches(true, i, "CN=", 0, 3) || dn.startsWith("2.5.4.3=", i);
            StringBuilder value = new StringBuilder();
            int end = equals + 1;
            while (end < dn.length() && dn.charAt(end) != ',' && dn.charAt(end) != '+') {
                char c = dn.charAt(end);
                if (c == '\\' && end + 1 < dn.length()) {
                    c = dn.charAt(++end);
                }
                value.append(c);
                end++;
            }
            if (isCn) {
                return value.toString();
            }
            i = end + 1;
        }
        return null;
    }
}
