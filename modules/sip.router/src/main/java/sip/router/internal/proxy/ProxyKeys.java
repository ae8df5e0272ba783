package sip.router.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import sip.message.SipRequest;
import sip.message.SipResponse;
import sip.message.SipUri;
import sip.message.Via;
import sip.transport.spi.Flow;

/**
 * The keyed tokens that let this proxy recognise, without any table, what it made itself: the
 * {@code pr} parameter of its Record-Route URIs (so an in-dialog request, or an ACK, naming it by
 * Route is relayed without the handler only when it follows a route set this proxy really
 * inserted), and the MAC in its branches' Via branch (so a 2xx matching no transaction is
 * forwarded only when it answers a branch this proxy sent, to the Via that branch's request
 * came from). The key is random per proxy instance: a restart invalidates old dialogs' tokens,
 * whose requests then go through the handler like any other.
 */
final class ProxyKeys {

    /** The Record-Route URI parameter carrying the dialog token. */
    static final String PARAMETER = "pr";
    /**
     * The Record-Route URI parameter carrying a flow token: on the URI facing a peer reached only
     * over its flow (a WebSocket client, a {@code *.invalid} Contact), so that in-dialog requests
     * towards it go back over that connection (RFC 5626 §5.3 does the same in the user part;
     * RFC 7118 §8's example carries one there too). A parameter, not the user part, so that the
     * strict-router check of RouteProcessing, which wants no user, still sees our URIs.
     */
    static final String FLOW_PARAMETER = sip.router.internal.transport.TransportLayer.FLOW_TOKEN_PARAMETER;
    /** 72 bits: forging one by guessing takes ~2^71 requests. */
    private static final int BYTES = 9;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    /** Initialised once; each use takes a clone (cheaper than getInstance + init per message). */
    private final Mac prototype;

    ProxyKeys() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(k, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /**
     * The token of a dialog, bound to its Call-ID and one of its tags. A request relayed with
     * Record-Route carries the caller's From tag; requests of the dialog in the reverse direction
     * carry that tag as their To tag, so {@link #verifies} accepts either.
     */
    String dialogToken(String callId, String tag) {
        return mac("dialog", callId, tag == null ? "" : tag);
    }

    /** True when one of {@code ownRoutes} (Route values naming this proxy) carries a valid token. */
    boolean verifies(List<SipUri> ownRoutes, SipRequest request) {
        for (SipUri u : ownRoutes) {
            String token = u.parameter(PARAMETER);
            if (token != null && (same(token, dialogToken(request.callId(), request.fromTag()))
                    || request.toTag() != null && same(token, dialogToken(request.callId(), request.toTag())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The flow token of {@code flow} in the dialog of {@code dialogToken} (the {@link #PARAMETER}
     * beside it): the flow's protocol and both addresses, readable, then a MAC over them and the
     * dialog token, so that only flows this proxy named come back from {@link #flowOf}, and only
     * in their own dialog: a peer of another dialog through this proxy that learnt the token (the
     * far side of a double Record-Route sees both) cannot use it beside that dialog's token.
     */
    String flowToken(Flow flow, String dialogToken) {
        String text = flow.protocol() + "|" + flow.local().getAddress().getHostAddress() + "|" + flow.local().getPort()
                + "|" + flow.remote().getAddress().getHostAddress() + "|" + flow.remote().getPort();
        return BASE64.encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "." + mac("flow", text, dialogToken);
    }

    /**
     * The flow a token of {@link #flowToken} names for {@code dialogToken}; null for anything
     * else (forged, malformed, another instance's, another dialog's).
     */
    Flow flowOf(String token, String dialogToken) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dialogToken == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            if (!same(token.substring(dot + 1), mac("flow", text, dialogToken))) {
                return null;
            }
            String[] f = text.split("\\|", -1);
            return new Flow(f[0], new InetSocketAddress(InetAddress.ofLiteral(f[1]), Integer.parseInt(f[2])),
                    new InetSocketAddress(InetAddress.ofLiteral(f[3]), Integer.parseInt(f[4])));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * The flow an in-dialog request goes on over: the flow token of one of {@code ownRoutes}
     * (Route values of this proxy, removed by route processing, in order) after the first, made
     * for the dialog token beside it, itself valid for {@code request}'s Call-ID and tags; null
     * when none carries such a token. The first faces the sender (RFC 3261 §12.1.1/§12.1.2: the
     * UAC reverses the Record-Route, the UAS keeps it, and this proxy inserted both halves in
     * §16.6 order), so its token names the sender's own side: followed, it would send the
     * request back, and after the sender's flow changed (a WebSocket that reconnected keeps its
     * dialogs) over its dead flow. A token naming {@code arrival} is never followed either.
     */
    Flow flowBack(List<SipUri> ownRoutes, Flow arrival, SipRequest request) {
        for (SipUri u : ownRoutes.subList(Math.min(1, ownRoutes.size()), ownRoutes.size())) {
            String token = u.parameter(FLOW_PARAMETER);
            String dialog = u.parameter(PARAMETER);
            if (token == null || dialog == null || !verifies(List.of(u), request)) {
                continue;
            }
            Flow f = flowOf(token, dialog);
            if (f != null && !f.equals(arrival)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Whether one of {@code ownRoutes} after the first (those naming the side a request goes
     * to, see {@link #flowBack}) carries a flow token that does not verify for {@code request}:
     * another instance's (this proxy restarted: its keys are new), another dialog's, or forged.
     * The request is meant for a peer reached only over a flow that cannot be named: RFC 5626
     * §5.3 asks for {@code 430 Flow Failed}, not a lookup of the peer's {@code *.invalid}
     * Request-URI.
     */
    boolean hasUnusableFlowToken(List<SipUri> ownRoutes, SipRequest request) {
        for (int i = 1; i < ownRoutes.size(); i++) {
            SipUri u = ownRoutes.get(i);
            String token = u.parameter(FLOW_PARAMETER);
            if (token != null && (!verifies(List.of(u), request) || flowOf(token, u.parameter(PARAMETER)) == null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The branch suffix of a branch of {@code routed}: a MAC over the loop hash, the Call-ID and
     * the upstream Via (the one responses go back to), then {@code "." + loopHash}. The transport
     * layer puts its random part in front.
     */
    String branchSuffix(String loopHash, SipRequest routed) {
        Via up = routed.topVia();
        return mac("branch", loopHash, routed.callId(), viaIdentity(up)) + "." + loopHash;
    }

    /**
     * True when the top Via of {@code response} carries a branch {@link #branchSuffix} made for
     * its Call-ID and its second Via: only then may it be forwarded to that Via without a
     * transaction.
     */
    boolean verifiesBranch(SipResponse response) {
        List<Via> vias = response.vias();
        if (vias.size() < 2 || vias.getFirst().branch() == null) {
            return false;
        }
        String[] parts = vias.getFirst().branch().split("\\.");
        if (parts.length < 3) {
            return false;
        }
        String hash = parts[parts.length - 1];
        String mac = parts[parts.length - 2];
        return same(mac, mac("branch", hash, response.callId(), viaIdentity(vias.get(1))));
    }

    /** What decides where a response to this Via goes (§18.2.2): sent-by, received, rport, branch. */
    private static String viaIdentity(Via via) {
        if (via == null) {
            return "";
        }
        return via.host() + "\n" + via.port() + "\n" + via.branch() + "\n" + via.received() + "\n"
                + via.rport() + "\n" + via.transport();
    }

    private String mac(String... fields) {
        try {
            Mac m = (Mac) prototype.clone();
            for (String f : fields) {
                m.update(f.getBytes(StandardCharsets.UTF_8));
                m.update((byte) 0);
            }
            return BASE64.encodeToString(Arrays.copyOf(m.doFinal(), BYTES));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 is cloneable", e);
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
