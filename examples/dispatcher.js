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
// all (no final response within BRANCH_TIMEOUT_MS, or unreachable: the proxy reports a 408 or a
// 503 of its own), onFailure hands the request to the next server, until every server was tried
// once. Any other failure (486 Busy, 404, ...) is the callee's answer, not a server fault: it goes
// back to the caller unchanged, since another server of the same pool would say the same.
//
// In-dialog requests of the calls this proxy set up never reach the script: they follow the
// Record-Route to the server that took the call, so a call stays on its server.

/** The pool, in rotation order. */
const TARGETS = [
  'sip:127.0.0.1:5070',
  'sip:127.0.0.1:5071',
  'sip:127.0.0.1:5072',
];

/** How long a server may take to send its final response before the next one is tried. */
const BRANCH_TIMEOUT_MS = 2000;

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
  sip.relay(req, first, { recordRoute: true, branchTimeout: BRANCH_TIMEOUT_MS });
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
