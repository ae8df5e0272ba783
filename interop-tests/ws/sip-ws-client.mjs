// A scriptable SIP-over-WebSocket client built on the npm `ws` package: an implementation of
// RFC 6455 independent of Parley's, so what it accepts and what it sends are a second opinion
// on Parley's WebSocket transport (sip.interop.ws in interop-tests).
//
//   node sip-ws-client.mjs PLAN.json
//
// PLAN.json: { "url": "ws://127.0.0.1:PORT/", "protocols": ["sip"], "origin": "https://...",
//              "ca": "/path/ca.pem", "rejectUnauthorized": true, "timeoutMs": 5000,
//              "steps": [ { "op": ... }, ... ] }
//
// Steps, run in order:
//   send      { data | hex, binary?, fragments?, pingBetween? }  one WebSocket message (hex: raw
//             bytes, sent as they are even in a text message); with fragments
//             n > 1 the UTF-8 bytes are cut into n frames (a cut may split a character: the
//             receiver must validate text across frames) and, with pingBetween, a ping frame goes
//             between the first and the second fragment (RFC 6455 §5.4 allows control frames there)
//   expect    { what: "message" | "pong" | "close", timeoutMs? }  the next one that arrived
//   answer    { status?, timeoutMs? }  the next message must be a SIP request: answers it (200)
//   ping      { data }  a ping frame (the pong is read with expect "pong")
//   stdin     waits for one line on stdin (lets the Java test act while this peer holds on)
//   close     { code?, reason? }  starts the close handshake and waits for the server's close
//   terminate drops the TCP connection without a close frame
//
// Prints one JSON object per line on stdout; "event" says what it is:
//   open     { protocol, extensions, localPort, status, headers }   the 101 and the socket
//   refused  { status, headers, body }   the server answered the handshake with another status
//   message  { binary, data }            a message read by an expect or answer step
//   pong     { data }   close { code, reason }   stdin { line }   answered { status }
//   failed   { step, why }   error { message, code }   done {}
// Exit code 0 when every step ran (or the handshake was refused, which is reported), 1 when a
// step failed, 2 on a connection error.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { answer, emit, isResponse } from './sip-text.mjs';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const timeoutMs = plan.timeoutMs ?? 5000;

// What arrived and was not read yet, by kind; a waiter per kind.
const queues = { message: [], pong: [], close: [] };
const waiters = { message: null, pong: null, close: null };
let closed = null;

function arrived(kind, value) {
  if (waiters[kind]) {
    const w = waiters[kind];
    waiters[kind] = null;
    w.resolve(value);
  } else {
    queues[kind].push(value);
  }
}

function next(kind, ms) {
  if (queues[kind].length > 0) {
    return Promise.resolve(queues[kind].shift());
  }
  if (closed && kind !== 'close') {
    return Promise.reject(new Error(`connection closed (${closed.code}) while waiting for a ${kind}`));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters[kind] = null;
      reject(new Error(`no ${kind} within ${ms} ms`));
    }, ms);
    waiters[kind] = {
      resolve: (v) => { clearTimeout(timer); resolve(v); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    };
  });
}

const options = { headers: {} };
if (plan.origin) options.origin = plan.origin;
if (plan.ca) options.ca = readFileSync(plan.ca);
if (plan.rejectUnauthorized === false) options.rejectUnauthorized = false;
options.handshakeTimeout = timeoutMs;

const ws = plan.protocols && plan.protocols.length > 0
  ? new WebSocket(plan.url, plan.protocols, options)
  : new WebSocket(plan.url, options);

let upgrade = null;
ws.on('upgrade', (res) => { upgrade = res; });

ws.on('unexpected-response', (req, res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    emit('refused', { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
    req.destroy();
    process.exit(0);
  });
});

ws.on('error', (err) => {
  emit('error', { message: err.message, code: err.code ?? null });
  process.exit(2);
});

ws.on('message', (data, isBinary) => arrived('message', { binary: isBinary, data: data.toString('utf8') }));
ws.on('pong', (data) => arrived('pong', data.toString('utf8')));
ws.on('close', (code, reason) => {
  closed = { code, reason: reason.toString('utf8') };
  for (const kind of ['message', 'pong']) {
    if (waiters[kind]) {
      const w = waiters[kind];
      waiters[kind] = null;
      w.reject(new Error(`connection closed (${code}) while waiting for a ${kind}`));
    }
  }
  arrived('close', closed);
});

ws.on('open', async () => {
  emit('open', {
    protocol: ws.protocol,
    extensions: ws.extensions,
    localPort: ws._socket.localPort,
    status: upgrade ? upgrade.statusCode : null,
    headers: upgrade ? upgrade.headers : {},
  });
  for (let i = 0; i < plan.steps.length; i++) {
    try {
      await run(plan.steps[i]);
    } catch (e) {
      emit('failed', { step: i, op: plan.steps[i].op, why: e.message });
      ws.terminate();
      process.exit(1);
    }
  }
  emit('done');
  if (!closed) {
    ws.terminate();
  }
  process.exit(0);
});

async function run(step) {
  const ms = step.timeoutMs ?? timeoutMs;
  switch (step.op) {
    case 'send':
      return send(step);
    case 'expect': {
      const got = await next(step.what, ms);
      if (step.what === 'message') emit('message', got);
      else if (step.what === 'pong') emit('pong', { data: got });
      else emit('close', got);
      return;
    }
    case 'answer': {
      const got = await next('message', ms);
      emit('message', got);
      if (isResponse(got.data)) throw new Error('a request was expected, not a response');
      const status = step.status ?? 200;
      await new Promise((resolve, reject) => ws.send(answer(got.data, status), (err) => (err ? reject(err) : resolve())));
      emit('answered', { status });
      return;
    }
    case 'ping':
      ws.ping(step.data ?? '');
      return;
    case 'stdin':
      emit('stdin', { line: await readLine(ms) });
      return;
    case 'close': {
      ws.close(step.code ?? 1000, step.reason ?? '');
      emit('close', await next('close', ms));
      return;
    }
    case 'terminate':
      ws.terminate();
      return;
    default:
      throw new Error(`unknown step ${step.op}`);
  }
}

// Resolves once the last frame is handed to the socket, so a peer that stops right after
// (terminate) does not drop it.
function send(step) {
  const bytes = step.hex !== undefined ? Buffer.from(step.hex, 'hex') : Buffer.from(step.data, 'utf8');
  const binary = step.binary === true;
  const n = Math.max(1, Math.min(step.fragments ?? 1, bytes.length));
  const cut = Math.ceil(bytes.length / n);
  return new Promise((resolve, reject) => {
    for (let i = 0, off = 0; i < n; i++, off += cut) {
      const last = i === n - 1;
      ws.send(bytes.subarray(off, last ? bytes.length : off + cut), { binary, fin: last },
        last ? (err) => (err ? reject(err) : resolve()) : undefined);
      if (i === 0 && !last && step.pingBetween !== undefined) {
        ws.ping(step.pingBetween);
      }
    }
  });
}

let stdinLines = null;
function readLine(ms) {
  if (!stdinLines) {
    stdinLines = { queue: [], waiter: null };
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      if (stdinLines.waiter) {
        const w = stdinLines.waiter;
        stdinLines.waiter = null;
        w(line);
      } else {
        stdinLines.queue.push(line);
      }
    });
  }
  if (stdinLines.queue.length > 0) {
    return Promise.resolve(stdinLines.queue.shift());
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line on stdin within ${ms} ms`)), ms);
    stdinLines.waiter = (line) => { clearTimeout(timer); resolve(line); };
  });
}
