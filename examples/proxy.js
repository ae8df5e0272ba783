// proxy.js: a registrar plus a proxy to the registered contacts. Parley's default script.
//
//   ./parley run examples/proxy.js                 (listens on udp and tcp 127.0.0.1:5060)
//
// What it does, in the order onRequest checks it:
//   REGISTER                     -> the built-in registrar stores or removes the contacts, 200
//   OPTIONS to the proxy itself  -> 200 (a keep-alive or "are you there?" ping: no user part)
//   an in-dialog request here    -> 404: dialogs this proxy record-routed never reach the script
//                                   (the proxy relays them along their route set itself), so a
//                                   request with a To tag that gets here names no dialog of ours
//   anything else                -> relayed to every contact registered for its Request-URI, in
//                                   parallel, with Record-Route so the dialog's later requests
//                                   (ACK, BYE, re-INVITE) come back through this proxy; 404 when
//                                   nobody is registered there
//
// Try it (README, "Run the proxy"; the SIPp scenarios are in examples/sipp/). From the
// repository root, with this script running, in a second terminal:
//   sipp -sf examples/sipp/answer.xml -i 127.0.0.1 -p 5070 -bg              (alice's phone: answers
//                                     and returns the proxy's Record-Route, which SIPp's built-in
//                                     uas does not, so ACK and BYE come back through the proxy)
//   sipsak -U -C sip:alice@127.0.0.1:5070 -x 3600 -s sip:alice@127.0.0.1    (alice registers;
//                                     -x: sipsak's default 15 s is below the minimum 60 s: 423)
//   sipp -sf examples/sipp/call.xml -s alice -i 127.0.0.1 -p 5080 -m 1 127.0.0.1:5060
//                                    (one call to alice through the proxy: INVITE, 200, ACK, BYE)
//   sipp -sf examples/sipp/call.xml -s bob -i 127.0.0.1 -p 5080 -m 1 127.0.0.1:5060
//                                    (nobody registered as bob: the call fails with 404)
// SIPp in the background (-bg) keeps running: stop it with `kill <pid it printed>`.
//
// A phone in a browser (JsSIP, SIP.js) speaks SIP over WebSocket (RFC 7118), and over WSS from
// an https page. Give parley a certificate and key (PEM, the key PKCS#8; a self-signed pair for
// a test: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30
// -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem) and a
// wss listener beside the UDP one:
//   ./parley run examples/proxy.js --listen udp:127.0.0.1:5060 \
//       --listen wss:127.0.0.1:8443 --tls-cert cert.pem --tls-key key.pem
// (wss without --tls-cert/--tls-key is refused at start; config.listen takes 'wss:...' too, and
// config.websocket = { path: '/sip', allowedOrigins: ['https://your.page'] } narrows who may
// connect). In the page, JsSIP 3.x registers alice with this script's registrar:
//   const socket = new JsSIP.WebSocketInterface('wss://127.0.0.1:8443');
//   const ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:alice@127.0.0.1', password: 'x' });
//   ua.start();                       // REGISTER over the WebSocket: 200 (no auth in this script)
// The browser must trust the certificate (a test browser: --ignore-certificate-errors). JsSIP's
// Contact is sip:alice@<random>.invalid;transport=ws: nothing can be sent there but over its
// connection, and parley does so. Calls to alice (sipp ... -s alice as above) ring the browser
// over that connection; the dialog's ACK and BYE follow it (its Record-Route names it). When the
// tab closes, its registration is removed at once, not when it expires: a call then gets 404.
//
// A script is an ES module. onRequest is required; it must answer every request it gets, one of:
// sip.reply, sip.relay, sip.registrar.save or sip.auth.check's challenge. A handler that returns
// without any of them is answered "500 Script Did Not Answer", and an exception is answered 500
// and logged with this file's line: neither ever stops the server. Test it offline with
// sip.script.testing.ScriptTester (see ProxyScriptTest in Parley's sources).

/** Read once when the script loads; `parley run --listen ...` wins over `listen`. */
export const config = {
  listen: ['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060'],
  // No `domains`: the registrar keeps users of any domain, each valid when the REGISTER's
  // Request-URI names the same host (so `sip:alice@127.0.0.1` registers to `sip:127.0.0.1`).
};

export function onRequest(req, sip) {
  if (req.method === 'REGISTER') {
    sip.registrar.save(req);          // answers the REGISTER itself: 200 with the bindings, or 4xx
    return;
  }
  if (req.method === 'OPTIONS' && req.uri.user === null) {
    sip.reply(200, 'OK');
    return;
  }
  if (req.inDialog) {
    sip.reply(404, 'Not Here');       // what Kamailio's default script answers here too
    return;
  }
  // Every live binding of the Request-URI's address-of-record, best q first. An empty array
  // when nobody registered it (or every binding expired).
  const contacts = registeredContacts(sip, req.uri);
  if (contacts.length === 0) {
    sip.reply(404, 'Not Found');
    return;
  }
  // Contacts go to relay as they are: it reaches each over the flow its REGISTER came on when
  // needed (TCP, NAT). The returned Promise settles once the final response went upstream; a
  // script that only routes need not wait for it.
  sip.relay(req, contacts, { recordRoute: true });
}

// The contacts registered for `uri`. A registration's address-of-record keeps a port only when
// the phone's To had one (RFC 3261 compares sip:alice@host and sip:alice@host:5060 as different
// URIs), but callers often dial the proxy's address with its port (`sipp -s alice 127.0.0.1:5060`
// calls sip:alice@127.0.0.1:5060): try the URI as dialled, then without its port.
function registeredContacts(sip, uri) {
  const contacts = sip.location.lookup(uri);
  if (contacts.length > 0 || uri.port === null || uri.user === null) {
    return contacts;
  }
  return sip.location.lookup(`${uri.scheme}:${uri.user}@${uri.host}`);
}
