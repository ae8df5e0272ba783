// What the node peers (sip-ws-client.mjs, sip-ws-server.mjs) share: their output format and the
// SIP they write themselves.

/** Prints one event as a JSON line on stdout (synchronous for pipes and files on Linux). */
export function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

/** Whether `message` (a SIP message as text) is a response. */
export function isResponse(message) {
  return message.startsWith('SIP/2.0 ');
}

/**
 * The response with `status` to a SIP request (text), as RFC 3261 §8.2.6 builds it: the
 * request's Vias, From, Call-ID and CSeq, its To with a tag added when it has none.
 */
export function answer(request, status = 200) {
  const end = request.indexOf('\r\n\r\n');
  const head = end < 0 ? request : request.slice(0, end);
  const copied = [];
  for (const line of head.split('\r\n').slice(1)) {
    const name = line.slice(0, line.indexOf(':')).trim().toLowerCase();
    if (['via', 'v', 'from', 'f', 'call-id', 'i', 'cseq'].includes(name)) {
      copied.push(line);
    } else if (name === 'to' || name === 't') {
      copied.push(/;\s*tag=/i.test(line) ? line : line + ';tag=ws-peer');
    }
  }
  const reason = status === 200 ? 'OK' : 'Answered';
  return [`SIP/2.0 ${status} ${reason}`, ...copied, 'Content-Length: 0', '', ''].join('\r\n');
}
