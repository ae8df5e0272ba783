// The JS side of Parley's script binding, evaluated once per context. It wraps the exported Java
// views in small classes with getters (property style for script authors, one host call per
// property read, memoized where the value cannot change) and throws TypeErrors for script
// mistakes the Java side reports as messages. Returns the dispatch function the workers call.
(function (services, exports) {
  'use strict';
  const onRequest = exports.onRequest;
  const onResponse = typeof exports.onResponse === 'function' ? exports.onResponse : null;
  const onFailure = typeof exports.onFailure === 'function' ? exports.onFailure : null;
  const REFUSED = new Set(['via', 'v', 'from', 'f', 'to', 't', 'call-id', 'i', 'cseq',
    'max-forwards', 'content-length', 'l']);

  function fail(message) { if (message !== null) throw new TypeError(message); }
  function list(hostArray) { return hostArray === null ? [] : Array.from(hostArray); }
  function paramsOf(flat) {
    const o = {};
    for (let i = 0; i < flat.length; i += 2) o[flat[i]] = flat[i + 1];
    return o;
  }
  function nullable(n) { return n < 0 ? null : n; }

  class SipUri {
    #j;
    constructor(j) { this.#j = j; }
    get scheme() { return this.#j.scheme(); }
    get user() { return this.#j.user(); }
    get host() { return this.#j.host(); }
    get port() { return nullable(this.#j.port()); }
    param(name) { return this.#j.param(String(name)); }
    get params() { return paramsOf(this.#j.params()); }
    toString() { return this.#j.text(); }
    toJSON() { return this.toString(); }
  }
  function uri(j) { return j === null ? null : new SipUri(j); }

  class NameAddr {
    #j; #uri;
    constructor(j) { this.#j = j; }
    get displayName() { return this.#j.displayName(); }
    get uri() { return this.#uri ??= uri(this.#j.uri()); }
    get tag() { return this.#j.tag(); }
    param(name) { return this.#j.param(String(name)); }
    toString() { return this.#j.text(); }
    toJSON() { return this.toString(); }
  }
  function nameAddr(j) { return j === null ? null : new NameAddr(j); }

  class Via {
    #j;
    constructor(j) { this.#j = j; }
    get transport() { return this.#j.transport(); }
    get host() { return this.#j.host(); }
    get port() { return nullable(this.#j.port()); }
    get branch() { return this.#j.branch(); }
    get received() { return this.#j.received(); }
    get rport() { return nullable(this.#j.rport()); }
    param(name) { return this.#j.param(String(name)); }
    toString() { return this.#j.text(); }
    toJSON() { return this.toString(); }
  }

  class Request {
    #j; #method; #from; #to; #callId; #cseq; #source;
    constructor(j) { this.#j = j; }
    get method() { return this.#method ??= this.#j.method(); }
    get uri() { return uri(this.#j.uri()); }
    get from() { return this.#from ??= nameAddr(this.#j.from()); }
    get to() { return this.#to ??= nameAddr(this.#j.to()); }
    get contact() { return nameAddr(this.#j.contact()); }
    get contacts() { return list(this.#j.contacts()).map(nameAddr); }
    get via() { return new Via(this.#j.via()); }
    get vias() { return list(this.#j.vias()).map(v => new Via(v)); }
    get cseq() { return this.#cseq ??= Object.freeze({ seq: this.#j.cseqNumber(), method: this.#j.cseqMethod() }); }
    get callId() { return this.#callId ??= this.#j.callId(); }
    get maxForwards() { return nullable(this.#j.maxForwards()); }
    get body() { return this.#j.body(); }
    get contentType() { return this.#j.contentType(); }
    get source() {
      if (this.#source === undefined) {
        const host = this.#j.sourceHost(), port = this.#j.sourcePort();
        this.#source = Object.freeze({ host, port, address: (host.includes(':') ? '[' + host + ']' : host) + ':' + port });
      }
      return this.#source;
    }
    get transport() { return this.#j.transport(); }
    get inDialog() { return this.#j.inDialog(); }
    header(name) { return this.#j.header(String(name)); }
    headers(name) { return list(this.#j.headers(String(name))); }
    setHeader(name, value) { this.#edit(name); fail(this.#j.setHeader(String(name), String(value))); }
    addHeader(name, value) { this.#edit(name); fail(this.#j.addHeader(String(name), String(value))); }
    removeHeader(name) { this.#edit(name); fail(this.#j.removeHeader(String(name))); }
    setUri(u) { fail(this.#j.setUri(String(u))); }
    toString() { return this.#j.text(); }
    #edit(name) {
      if (REFUSED.has(String(name).toLowerCase())) {
        throw new TypeError('the ' + name + ' header cannot be edited by a script (the proxy manages it)');
      }
    }
    static unwrap(r) { return r instanceof Request ? r.#j : null; }
  }

  class Response {
    #j;
    constructor(j) { this.#j = j; }
    get status() { return this.#j.status(); }
    get reason() { return this.#j.reason(); }
    header(name) { return this.#j.header(String(name)); }
    headers(name) { return list(this.#j.headers(String(name))); }
    toString() { return this.#j.text(); }
  }

  class Contact {
    #j;
    constructor(j) {
      this.#j = j;
      this.uri = j.uri();
      this.q = j.q();
      this.expires = j.expires();
      this.path = list(j.path());
      Object.freeze(this);
    }
    toString() { return this.uri; }
    static unwrap(c) { return c instanceof Contact ? c.#j : null; }
  }

  function targetsOf(t) {
    const out = [];
    const add = (x) => {
      if (typeof x === 'string') { out.push(x); return; }
      if (x instanceof SipUri) { out.push(x.toString()); return; }
      const c = Contact.unwrap(x);
      if (c !== null) { out.push(c); return; }
      if (x !== null && typeof x === 'object' && typeof x.uri === 'string') { out.push(x.uri); return; }
      throw new TypeError('a relay target must be a URI string or a contact from sip.location.lookup, not ' + x);
    };
    if (Array.isArray(t)) t.forEach(add); else if (t !== undefined && t !== null) add(t);
    return out;
  }

  // Hands targets to Java one call each (string or registered contact); hook=true for onFailure's.
  function addTargets(jx, list, hook) {
    for (const t of list) {
      const bad = typeof t === 'string' ? jx.target(t, hook) : jx.contactTarget(t, hook);
      if (bad !== null) throw new TypeError(bad);
    }
  }

  function headerPairs(headers) {
    if (headers === undefined || headers === null) return [];
    if (typeof headers !== 'object') throw new TypeError('reply headers must be an object {Name: value | [values]}');
    const out = [];
    for (const [k, v] of Object.entries(headers)) {
      for (const one of Array.isArray(v) ? v : [v]) { out.push(k, String(one)); }
    }
    return out;
  }

  function where() {
    const lines = String(new Error().stack).split('\n');
    for (const l of lines) {
      const m = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(l);
      if (m !== null && !m[1].endsWith('parley-prelude.js')) {
        const slash = m[1].lastIndexOf('/');
        return (slash >= 0 ? m[1].substring(slash + 1) : m[1]) + ':' + m[2];
      }
    }
    return '';
  }
  function text(args) {
    return args.map(a => typeof a === 'string' ? a
      : (a instanceof Error ? String(a) : (typeof a === 'object' && a !== null ? safeJson(a) : String(a)))).join(' ');
  }
  function safeJson(a) {
    try { const s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); }
  }
  const log = Object.freeze({
    debug: (...a) => services.log(0, where(), text(a)),
    info: (...a) => services.log(1, where(), text(a)),
    warn: (...a) => services.log(2, where(), text(a)),
    error: (...a) => services.log(3, where(), text(a)),
  });
  globalThis.console = Object.freeze({ log: log.info, info: log.info, debug: log.debug, warn: log.warn, error: log.error });

  function storeFail(r) { if (typeof r === 'string') throw new (r.startsWith('RangeError') ? RangeError : TypeError)(r.substring(r.indexOf(':') + 2)); return r; }
  const store = Object.freeze({
    get: (k) => services.storeGet(String(k)),
    set: (k, v, ttl) => { storeFail(services.storeSet(String(k), v, ttl === undefined || ttl === null ? 0 : Number(ttl))); },
    delete: (k) => services.storeDelete(String(k)),
    has: (k) => services.storeHas(String(k)),
    incr: (k, d) => {
      const r = services.storeIncr(String(k), d === undefined ? 1 : Number(d));
      if (typeof r === 'string') storeFail(r);
      return r;
    },
  });
  const location = Object.freeze({
    lookup: (aor) => {
      const r = services.lookup(String(aor));
      if (typeof r === 'string') throw new TypeError(r);
      return list(r).map(c => new Contact(c));
    },
  });

  // The relay's Promise tells Java when someone waits for it (then, await, catch, finally all go
  // through then): a relay nobody waits for completes without re-entering the context.
  const WANTS = new WeakMap();
  class RelayPromise extends Promise {
    static get [Symbol.species]() { return Promise; }
    then(onFulfilled, onRejected) {
      const jx = WANTS.get(this);
      if (jx !== undefined) { WANTS.delete(this); jx.wantResult(); }
      return super.then(onFulfilled, onRejected);
    }
  }

  class Sip {
    #jx; #req;
    constructor(jx, req) { this.#jx = jx; this.#req = req; }
    get store() { return store; }
    get log() { return log; }
    get location() { return location; }
    get registrar() {
      const jx = this.#jx;
      return { save: (r) => { const j = Request.unwrap(r); if (j === null) throw new TypeError('save takes the req'); const o = jx.save(j); if (typeof o === 'string') throw new TypeError(o); return { status: o.status(), contacts: list(o.contacts()).map(c => new Contact(c)) }; } };
    }
    get auth() {
      const jx = this.#jx;
      return { check: (r, realm) => { const j = Request.unwrap(r); if (j === null) throw new TypeError('check takes the req'); return jx.authCheck(j, realm === undefined || realm === null ? null : String(realm)); } };
    }
    reply(status, reason, headers) {
      if (!Number.isInteger(status)) throw new TypeError('reply status must be an integer, not ' + status);
      const jx = this.#jx;
      // Headers go over one by one: a call from JS into Java is cheap, Java reading a JS object is not.
      const pairs = headerPairs(headers);
      for (let i = 0; i < pairs.length; i += 2) jx.replyHeader(pairs[i], pairs[i + 1]);
      fail(jx.reply(status, reason === undefined || reason === null ? null : String(reason)));
    }
    relay(req, targets, options) {
      const jreq = Request.unwrap(req);
      if (jreq === null) throw new TypeError('relay takes the req given to onRequest');
      const jx = this.#jx;
      jx.clearTargets();
      addTargets(jx, targetsOf(targets), false);
      let recordRoute = -1, forking = null, branchTimeout = -1, maxBranches = -1;
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object') throw new TypeError('relay options must be an object');
        for (const key of Object.keys(options)) {
          const v = options[key];
          switch (key) {
            case 'recordRoute': recordRoute = v ? 1 : 0; break;
            case 'forking': forking = String(v); break;
            case 'branchTimeout': branchTimeout = Number(v); break;
            case 'maxBranches': maxBranches = Number(v); break;
            default: throw new TypeError("unknown relay option '" + key + "' (recordRoute, forking, branchTimeout, maxBranches)");
          }
        }
      }
      const sip = this;
      let resolve;
      const promise = new RelayPromise((r) => { resolve = r; });
      WANTS.set(promise, jx);
      fail(jx.relay(jreq, recordRoute, forking, branchTimeout, maxBranches,
        (status, reason, outcome) => resolve(Object.freeze({ status, reason, outcome })),
        onResponse === null ? null : (jres, index, target) => { onResponse(new Response(jres), Object.freeze({ index, target }), sip); },
        onFailure === null ? null : (jres, index, target) => {
          addTargets(jx, targetsOf(onFailure(new Response(jres), Object.freeze({ index, target }), req, sip)), true);
        }));
      return promise;
    }
  }

  // The worker calls this once per request: returns true while an async handler is pending.
  return function dispatch(jx, jreq) {
    const req = new Request(jreq);
    const result = onRequest(req, new Sip(jx, req));
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      result.then(() => jx.settled(null), (e) => jx.settled(e));
      return true;
    }
    return false;
  };
})
