// auth-registrar.js: a registrar that lets only known users register, each only as themselves,
// and a proxy to them.
//
//   ./parley run examples/auth-registrar.js
//
// Register with any phone or softphone as alice / alice-secret (registrar 127.0.0.1). The
// challenge offers SHA-256 first and MD5 second (RFC 8760); a client answers the strongest it
// knows. sipsak 0.9.8 cannot register here: it reads only the first challenge and knows only
// MD5 ("error: unsupported authentication algorithm").
//
// Users and passwords live in config.auth below (an in-memory list: enough for a lab or a test
// bench; change the passwords before exposing this to anything). sip.auth.check does the whole
// Digest exchange (RFC 3261 §22, SHA-256 and MD5) with the built-in authenticator:
//   - no or wrong credentials -> it sends the challenge itself (401 for a REGISTER, 407 for other
//     requests) and returns null: the script just returns, the request is answered;
//   - valid credentials       -> it returns the user name, and the script decides what that
//     user may do.
//
// What it does:
//   REGISTER                       -> authenticated (401), then allowed only for the user's own
//                                     address-of-record (a user registering someone else's: 403),
//                                     then the built-in registrar answers (200 with the bindings)
//   a request claiming to come     -> authenticated (407) first, so nobody else can call (and
//     from one of our users           be billed) as alice
//   anything else out of dialog    -> relayed to the contacts registered for its Request-URI
//                                     with Record-Route, 404 when there are none. Calls from
//                                     outside (From not one of our users) need no password: this
//                                     is the users' home server, it takes calls for them.
//   an in-dialog request here      -> 404 (dialogs this proxy record-routed never reach the script)

export const config = {
  listen: ['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060'],
  auth: {
    realm: 'parley.test',                 // shown to users by their phones; one per deployment
    users: { alice: 'alice-secret', bob: 'bob-secret' },
  },
};

// The config object is plain data, so the script may read it too.
const users = new Set(Object.keys(config.auth.users));

export function onRequest(req, sip) {
  if (req.method === 'REGISTER') {
    const user = sip.auth.check(req);     // null: the 401 challenge went out already
    if (user === null) {
      return;
    }
    if (req.to.uri.user !== user) {       // authentication says who; authorization says what
      sip.reply(403, 'Forbidden (not your address)');
      return;
    }
    sip.registrar.save(req);
    return;
  }
  if (req.inDialog) {
    sip.reply(404, 'Not Here');
    return;
  }
  if (users.has(req.from.uri.user)) {
    const user = sip.auth.check(req);     // null: the 407 challenge went out already
    if (user === null) {
      return;
    }
    if (user !== req.from.uri.user) {
      sip.reply(403, 'Forbidden (not your address)');
      return;
    }
    sip.log.info('call from', user, 'to', req.uri.toString());
  }
  const contacts = registeredContacts(sip, req.uri);
  if (contacts.length === 0) {
    sip.reply(404, 'Not Found');
    return;
  }
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
