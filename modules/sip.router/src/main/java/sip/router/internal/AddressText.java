package sip.router.internal;

import java.net.InetAddress;

/**
 * IP addresses as this agent writes them in messages (Via sent-by and received, Contact, From):
 * IPv6 in the RFC 5952 short form, without a scope, so every header names an address the same
 * way ({@link InetAddress#getHostAddress} writes the long form).
 */
public final class AddressText {

    private AddressText() {
    }

    /** As a URI or Via sent-by host: IPv6 in brackets. */
    public static String uriHost(InetAddress ip) {
        String bare = bare(ip);
        return ip.getAddress().length == 4 ? bare : "[" + bare + "]";
    }

    /** As a Via {@code received} parameter writes it: IPv6 without brackets. */
    public static String bare(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return ip.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first if tied.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
