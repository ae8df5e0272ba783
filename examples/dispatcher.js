// dispatcher.js: a load balancer in front of a pool of identical servers (media servers, PBXs,
// an application server farm), with failover.
//
//   ./parley run examples/dispatcher.js
//
// Each new request goes to the next server of TARGETS in turn (round robin). The turn is kept in
// sip.store, a key/value store in Java shared by every worker: JavaScript state is per worker
// (each worker thread has its own copy of this module), so a plain `let next = 0` here would
// give each worker its own rotation. sip.store.incr is atomic across workers.
//
// Failover: when the chosen server answers 503 (overloaded, shutting down) or does not answer at
// all (unreachable, or silent: the proxy reports a 503 or a 408 of its own, see "Silent"), onFailure hands the
// request to the next server, until every server was tried once. Any other failure (486 Busy,
// 404, ...) is the callee's answer, not a server fault: it goes back to the caller unchanged,
// since another server of the same pool would say the same.
//
// "Silent" differs by method, so two timeouts. branchTimeout counts until the *final* response
// and a provisional (180 Ringing) does not reset it, so it must not be set on an INVITE: a phone
// may ring for half a minute, and every call ringing longer would be CANCELled and moved to the
// next server. responseTimeout counts only until the branch's *first* response of any kind (the
// 100 Trying a live server sends at once): a server that says nothing within it is down, and its
// branch ends as a 408 the failover below handles (no CANCEL is sent: none may precede a
// provisional, RFC 3261 §9.1). So an INVITE gets INVITE_RESPONSE_TIMEOUT_MS — without it a dead
// UDP server would be left only after Timer B (32 s), when the caller has given up already — and
// a call that rings is never cut. Other requests (OPTIONS, MESSAGE, ...) are answered at once by a
// live server: they get BRANCH_TIMEOUT_MS.
//
// (ScriptTester's onRelay simulates only a branch's final status, or ScriptTester.NO_ANSWER for
// a server that never answers, not "180 Ringing, then 200 after 30 s": the test of this script
// checks which timeouts each method carries and the failover on silence, not a long ringing
// call; the proxy's own tests play that one.)
//
// In-dialog requests of the calls this proxy set up never reach the script: they follow the
// Record-Route to the server that took the call, so a call stays on its server.

/** The pool, in rotation order. */
const TARGETS = [
  'sip:127.0.0.1:5070',
  'sip:127.0.0.1:5071',
  'sip:127.0.0.1:5072',
];

/** How long a server may take to answer a non-INVITE before the next one is tried. */
const BRANCH_TIMEOUT_MS = 2000;

/** How long a server may take to say anything (100 Trying) to an INVITE before the next is tried. */
const INVITE_RESPONSE_TIMEOUT_MS = 2000;

/** Failures that mean "this server cannot take it now", not "the callee said no". */
const FAILOVER_STATUSES = new Set([408, 503]);

export const config = {
  listen: ['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060'],
};

export function onRequest(req, sip) {
  if (req.inDialog) {
    sip.reply(404, 'Not Here');
    return;
  }
  // incr returns the new value: 1, 2, 3, ... so the first request goes to TARGETS[0].
  const turn = sip.store.incr('dispatcher:turn');
  const first = TARGETS[(turn - 1) % TARGETS.length];
  const options = { recordRoute: true };
  if (req.method === 'INVITE') {
    options.responseTimeout = INVITE_RESPONSE_TIMEOUT_MS; // see "Silent" above
  } else {
    options.branchTimeout = BRANCH_TIMEOUT_MS;
  }
  sip.relay(req, first, options);
}

// Called for a branch that ended without a 2xx. Whatever it returns becomes the next branch of
// the same relay; returning nothing lets the proxy send the best final response upstream.
export function onFailure(res, branch, req, sip) {
  if (!FAILOVER_STATUSES.has(res.status)) {
    return;
  }
  // branch.index counts the branches of this relay from 0: after TARGETS.length of them every
  // server had its chance.
  if (branch.index + 1 >= TARGETS.length) {
    sip.log.warn('every server failed for', req.callId, '- last answer', res.status);
    return;
  }
  const failed = TARGETS.indexOf(branch.target);
  const next = TARGETS[(failed + 1) % TARGETS.length];
  sip.log.info(branch.target, 'answered', res.status, '- trying', next);
  return next;
}
