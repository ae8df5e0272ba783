package sip.dns.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;

/**
 * Which NAPTR records of a SIP domain RFC 3263 §4.1 lets a client use, and in which order: flag
 * {@code s}, a SIP service this client has a transport for, a non-empty replacement; ordered by
 * order, then preference.
 */
final class NaptrSelection {
    private NaptrSelection() {
    }

    /** One usable NAPTR record: the transport its service means and the SRV name to look up. */
    record Choice(String protocol, Name srvName, int order, int preference) {
    }

    /** The protocol of a NAPTR service field, or null for a service that is not SIP over a known transport. */
    static String protocol(String service) {
        return switch (service.toUpperCase(Locale.ROOT)) {
            case "SIP+D2U" -> "udp";
            case "SIP+D2T" -> "tcp";
            case "SIPS+D2T" -> "tls";
            case "SIP+D2W" -> "ws";
            case "SIPS+D2W" -> "wss";
            default -> null;
        };
    }

    /**
     * @param records the NAPTR record set of the domain
     * @param protocols the transports the caller can use
     * @param secure whether the URI is {@code sips} (only {@code SIPS+} services then)
     */
    static List<Choice> select(List<NAPTRRecord> records, Set<String> protocols, boolean secure) {
        List<Choice> usable = new ArrayList<>();
        for (NAPTRRecord r : records) {
            if (!r.getFlags().equalsIgnoreCase("s")) {
                continue;   // "a", "u", "p" and empty flags are not SRV pointers
            }
            String protocol = protocol(r.getService());
            if (protocol == null || !protocols.contains(protocol)) {
                continue;
            }
            if (secure && !r.getService().toUpperCase(Locale.ROOT).startsWith("SIPS+")) {
                continue;
            }
            if (r.getReplacement().equals(Name.root)) {
                continue;   // no replacement: the "s" flag needs one
            }
            usable.add(new Choice(protocol, r.getReplacement(), r.getOrder(), r.getPreference()));
        }
        usable.sort(Comparator.comparingInt(Choice::order).thenComparingInt(Choice::preference));
        return usable;
    }
}
