// A SIP-over-WebSocket server built on the npm `ws` package, for Parley's outbound WebSocket
// client to connect to: `ws` insists on what RFC 6455 asks of a client (masked frames, a valid
// key, version 13), so its acceptance is a second opinion on Parley's client.
//
//   node sip-ws-server.mjs CONFIG.json
//
// CONFIG.json: { "tls": { "cert": "/chain.pem", "key": "/key.pem" }   (absent: plain ws)
//                "subprotocol": "sip",        (null: the 101 names none, which Parley must refuse)
//                "reject": 403,               (answer every handshake with this status instead)
//                "pingOnConnect": "payload",  (a ping right after the handshake)
//                "closeAfter": 1 }            (close 1000 after answering this many requests)
//
// Listens on 127.0.0.1, an ephemeral port, answers every SIP request 200 on its connection, and
// prints one JSON object per line:
//   listening  { port }
//   connection { path, headers, protocol }   the upgrade request as it arrived
//   message    { binary, data }   answered { status }   pong { data }
//   close      { code, reason }   the code the client's close frame carried (1005: none)
//   error      { message }
// It ends when its stdin ends (the Java test closes it) or it is killed.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { WebSocketServer } from 'ws';
import { answer, emit, isResponse } from './sip-text.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const server = config.tls
  ? createHttpsServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) })
  : createHttpServer();

const wss = new WebSocketServer({
  server,
  handleProtocols: (offered) => {
    const wanted = config.subprotocol === undefined ? 'sip' : config.subprotocol;
    return wanted !== null && offered.has(wanted) ? wanted : false;
  },
  verifyClient: config.reject
    ? (info, done) => done(false, config.reject, 'refused by the test server')
    : undefined,
});

wss.on('connection', (ws, req) => {
  emit('connection', { path: req.url, headers: req.headers, protocol: ws.protocol });
  let answered = 0;
  ws.on('message', (data, isBinary) => {
    const text = data.toString('utf8');
    emit('message', { binary: isBinary, data: text });
    if (isResponse(text) || text.trim() === '') {
      return;
    }
    ws.send(answer(text, 200));
    emit('answered', { status: 200 });
    if (config.closeAfter && ++answered >= config.closeAfter) {
      ws.close(1000, 'enough');
    }
  });
  ws.on('pong', (data) => emit('pong', { data: data.toString('utf8') }));
  ws.on('close', (code, reason) => emit('close', { code, reason: reason.toString('utf8') }));
  ws.on('error', (err) => emit('error', { message: err.message }));
  if (config.pingOnConnect !== undefined) {
    ws.ping(config.pingOnConnect);
  }
});

server.on('tlsClientError', (err) => emit('error', { message: err.message }));

server.listen(0, '127.0.0.1', () => emit('listening', { port: server.address().port }));

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
