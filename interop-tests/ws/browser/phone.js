// The page side of the browser phone: one JsSIP UA (register, call, answer, hang up,
// unregister) and raw WebSockets with subprotocol 'sip' for the keep-alive tests. Everything
// it observes goes to window.report(event), which driver.mjs exposes and prints as JSON lines;
// the driver calls the window.phone methods.
'use strict';

(function () {
  // No STUN/TURN: only host candidates, so nothing leaves the machine.
  const PC_CONFIG = { iceServers: [] };
  const MEDIA = { audio: true, video: false };
  const CRLF = '\r\n';

  let ua = null;
  let socket = null;
  let keepAliveTimer = null;
  let session = null;
  const sockets = new Map();

  function report(event, fields = {}) {
    const line = { event, at: Date.now(), ...fields };
    document.getElementById('log').textContent += JSON.stringify(line) + '\n';
    window.report(line);
  }

  // JsSIP sends its SDP once ICE gathering completes; with host candidates only that is quick,
  // but ready() at the first candidate bounds it whatever the machine's interfaces.
  function watch(s) {
    session = s;
    s.on('icecandidate', (e) => e.ready());
    s.on('progress', (e) => report('progress', { originator: e.originator, status: e.response?.status_code }));
    s.on('accepted', (e) => report('accepted', { originator: e.originator }));
    s.on('confirmed', (e) => report('confirmed', {
      originator: e.originator,
      remoteSdp: s.connection?.remoteDescription?.sdp ?? null,
      signalingState: s.connection?.signalingState ?? null,
    }));
    s.on('ended', (e) => report('ended', { originator: e.originator, cause: e.cause }));
    s.on('failed', (e) => report('failed', {
      originator: e.originator, cause: e.cause, status: e.message?.status_code ?? null,
    }));
    s.on('peerconnection:setremotedescriptionfailed', (e) => report('sdpRejected', { error: String(e) }));
    s.on('peerconnection:createofferfailed', (e) => report('sdpRejected', { error: String(e) }));
    s.on('peerconnection:createanswerfailed', (e) => report('sdpRejected', { error: String(e) }));
    s.on('getusermediafailed', (e) => report('mediaFailed', { error: String(e) }));
  }

  function start({ uri, ws, displayName }) {
    if (ua) {
      throw new Error('the UA is already started');
    }
    // JsSIP's own log (every SIP message) goes to the console, which the driver copies to stderr.
    JsSIP.debug.enable('JsSIP:*');
    socket = new JsSIP.WebSocketInterface(ws);
    ua = new JsSIP.UA({
      sockets: [socket],
      uri,
      display_name: displayName ?? 'browser',
      register: false,
      register_expires: 300,
      session_timers: false,
      user_agent: 'JsSIP ' + JsSIP.version + ' (Parley interop, headless Chromium)',
    });
    ua.on('connected', () => report('connected'));
    ua.on('disconnected', (e) => report('disconnected', { error: !!e.error, code: e.code ?? null, reason: e.reason ?? null }));
    ua.on('registered', (e) => report('registered', {
      contact: ua.contact.toString(),
      status: e.response.status_code,
      contacts: e.response.getHeaders('Contact'),
    }));
    ua.on('unregistered', (e) => report('unregistered', { status: e.response?.status_code ?? null, cause: e.cause ?? null }));
    ua.on('registrationFailed', (e) => report('registrationFailed', { cause: e.cause, status: e.response?.status_code ?? null }));
    // The tests probe a registration with OPTIONS to the AoR: the page answers it, with a header
    // that tells the prober the browser itself answered.
    ua.on('newOptions', ({ originator, message, request }) => {
      if (originator === 'remote') {
        report('options', { requestUri: request.ruri.toString(), via: request.getHeaders('Via') });
        message.accept({ extraHeaders: ['X-Answered-By: parley-browser-phone'] });
      }
    });
    ua.on('newRTCSession', ({ originator, session: s, request }) => {
      if (originator === 'remote') {
        report('incoming', {
          from: request.from.uri.toString(),
          requestUri: request.ruri.toString(),
          recordRoute: request.getHeaders('Record-Route'),
        });
        watch(s);
        s.answer({ mediaConstraints: MEDIA, pcConfig: PC_CONFIG });
      }
    });
    ua.start();
  }

  function call({ target }) {
    const s = ua.call(target, { mediaConstraints: MEDIA, pcConfig: PC_CONFIG });
    watch(s);
    report('calling', { target });
  }

  function hangup() {
    session.terminate();
  }

  function register() {
    ua.register();
  }

  function unregister() {
    ua.unregister({ all: false });
  }

  function stop() {
    ua.stop();
  }

  // JsSIP sends no keep-alives of its own (it answers a server's CRLFCRLF and ignores CRLF
  // pongs): these are RFC 5626 pings on its WebSocket, as SIP.js sends them. everyMs 0 stops them.
  function keepAlive({ everyMs }) {
    clearInterval(keepAliveTimer);
    if (everyMs > 0) {
      keepAliveTimer = setInterval(() => {
        report('keepAliveSent', { sent: socket.send(CRLF + CRLF) });
      }, everyMs);
    }
  }

  // A WebSocket of the page's own with subprotocol 'sip', as JsSIP opens one: it can only send
  // messages (browsers cannot send WebSocket pings), so its keep-alive is RFC 5626's CRLFCRLF
  // inside a message, answered by a CRLF message.
  // firstMessage: a SIP message sent as soon as it is open (a server expects the first one soon
  // after connecting; keep-alives do not count).
  function openSocket({ id, url, pingEveryMs, firstMessage }) {
    const ws = new WebSocket(url, 'sip');
    let timer = null;
    sockets.set(id, ws);
    ws.onopen = () => {
      report('socketOpen', { id, protocol: ws.protocol });
      if (firstMessage) {
        ws.send(firstMessage);
      }
      if (pingEveryMs > 0) {
        timer = setInterval(() => {
          ws.send(CRLF + CRLF);
          report('socketPing', { id });
        }, pingEveryMs);
      }
    };
    ws.onmessage = (m) => {
      const data = typeof m.data === 'string' ? m.data : '(binary)';
      report(data === CRLF ? 'socketPong' : 'socketMessage', { id, data });
    };
    ws.onclose = (e) => {
      clearInterval(timer);
      report('socketClose', { id, code: e.code, reason: e.reason, wasClean: e.wasClean });
    };
  }

  function closeSocket({ id }) {
    sockets.get(id).close(1000, 'test done');
  }

  window.phone = { start, register, unregister, call, hangup, stop, keepAlive, openSocket, closeSocket };
})();
