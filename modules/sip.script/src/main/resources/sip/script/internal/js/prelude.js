// The JS side of Parley's script binding, evaluated once per context *before* the script module
// (so console and the built-ins below are the real ones). It wraps the exported Java views in
// small classes with getters (property style for script authors, one host call per property
// read, memoized where the value cannot change) and throws TypeErrors for script mistakes the
// Java side reports as messages. Returns bind(exports), which returns the dispatch function the
// workers call.
//
// The host objects of a request (its JsExchange `jx`, its JsRequest `jreq`) must never reach
// script code: a script keeping another request's jx could settle or answer it. So they live in
// private fields and closures only, the classes are frozen, unwrapping is closure-scoped (no
// static method), and the binding calls the built-ins captured here, never what a script may
// have put on globalThis or a prototype (WeakMap.prototype.set, Promise.prototype.then, ...).
(function (services) {
  'use strict';
  const ObjectFreeze = Object.freeze, ObjectEntries = Object.entries, ObjectKeys = Object.keys;
  const ArrayIsArray = Array.isArray, NumberIsInteger = Number.isInteger;
  const ReflectApply = Reflect.apply;
  const PromiseCtor = Promise, PromiseThen = Promise.prototype.then, PromiseResolve = Promise.resolve;
  const TypeErrorCtor = TypeError, RangeErrorCtor = RangeError, ErrorCtor = Error;
  const SetHas = Set.prototype.has, ArrayPush = Array.prototype.push;
  function then(p, onFulfilled, onRejected) { return ReflectApply(PromiseThen, p, [onFulfilled, onRejected]); }
  function freezeClass(c) { ObjectFreeze(c.prototype); ObjectFreeze(c); }

  let onRequest = null, onResponse = null, onFailure = null;
  const REFUSED = new Set(['via', 'v', 'from', 'f', 'to', 't', 'call-id', 'i', 'cseq',
    'max-forwards', 'content-length', 'l']);

  function fail(message) { if (message !== null) throw new TypeErrorCtor(message); }
  function list(hostArray) {
    const out = [];
    if (hostArray !== null) {
      const n = hostArray.length;
      for (let i = 0; i < n; i++) ReflectApply(ArrayPush, out, [hostArray[i]]);
    }
    return out;
  }
  function mapList(hostArray, f) {
    const js = list(hostArray);
    for (let i = 0; i < js.length; i++) js[i] = f(js[i]);
    return js;
  }
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
  freezeClass(SipUri);
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
  freezeClass(NameAddr);
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

  let unwrapRequest, unwrapContact, tagRelay;
  class Request {
    #j; #method; #from; #to; #callId; #cseq; #source;
    constructor(j) { this.#j = j; }
    get method() { return this.#method ??= this.#j.method(); }
    get uri() { return uri(this.#j.uri()); }
    get from() { return this.#from ??= nameAddr(this.#j.from()); }
    get to() { return this.#to ??= nameAddr(this.#j.to()); }
    get contact() { return nameAddr(this.#j.contact()); }
    get contacts() { return mapList(this.#j.contacts(), nameAddr); }
    get via() { return new Via(this.#j.via()); }
    get vias() { return mapList(this.#j.vias(), v => new Via(v)); }
    get cseq() { return this.#cseq ??= ObjectFreeze({ seq: this.#j.cseqNumber(), method: this.#j.cseqMethod() }); }
    get callId() { return this.#callId ??= this.#j.callId(); }
    get maxForwards() { return nullable(this.#j.maxForwards()); }
    get body() { return this.#j.body(); }
    get contentType() { return this.#j.contentType(); }
    get source() {
      if (this.#source === undefined) {
        const host = this.#j.sourceHost(), port = this.#j.sourcePort();
        this.#source = ObjectFreeze({ host, port, address: (host.includes(':') ? '[' + host + ']' : host) + ':' + port });
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
      if (ReflectApply(SetHas, REFUSED, [String(name).toLowerCase()])) {
        throw new TypeErrorCtor('the ' + name + ' header cannot be edited by a script (the proxy manages it)');
      }
    }
    static { unwrapRequest = (r) => (r !== null && typeof r === 'object' && #j in r) ? r.#j : null; }
  }
  freezeClass(Request);

  class Response {
    #j;
    constructor(j) { this.#j = j; }
    get status() { return this.#j.status(); }
    get reason() { return this.#j.reason(); }
    header(name) { return this.#j.header(String(name)); }
    headers(name) { return list(this.#j.headers(String(name))); }
    toString() { return this.#j.text(); }
  }
  freezeClass(Response);

  class Contact {
    #j;
    constructor(j) {
      this.#j = j;
      this.uri = j.uri();
      this.q = j.q();
      this.expires = j.expires();
      this.path = list(j.path());
      ObjectFreeze(this);
    }
    toString() { return this.uri; }
    static { unwrapContact = (c) => (c !== null && typeof c === 'object' && #j in c) ? c.#j : null; }
  }
  freezeClass(Contact);

  function targetsOf(t) {
    const out = [];
    const add = (x) => {
      if (typeof x === 'string') { out.push(x); return; }
      if (x instanceof SipUri) { out.push(x.toString()); return; }
      const c = unwrapContact(x);
      if (c !== null) { out.push(c); return; }
      if (x !== null && typeof x === 'object' && typeof x.uri === 'string') { out.push(x.uri); return; }
      throw new TypeErrorCtor('a relay target must be a URI string or a contact from sip.location.lookup, not ' + x);
    };
    if (ArrayIsArray(t)) { const n = t.length; for (let i = 0; i < n; i++) add(t[i]); } else if (t !== undefined && t !== null) add(t);
    return out;
  }

  // Hands targets to Java one call each (string or registered contact); hook=true for onFailure's.
  function addTargets(jx, list, hook) {
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      const bad = typeof t === 'string' ? jx.target(t, hook) : jx.contactTarget(t, hook);
      if (bad !== null) throw new TypeErrorCtor(bad);
    }
  }

  function optionType(key, what, v) {
    throw new TypeErrorCtor('relay option ' + key + ' must be ' + what + ', not '
      + (typeof v === 'string' ? "'" + v + "'" : String(v)));
  }

  function headerPairs(headers) {
    if (headers === undefined || headers === null) return [];
    if (typeof headers !== 'object') throw new TypeErrorCtor('reply headers must be an object {Name: value | [values]}');
    const out = [];
    const entries = ObjectEntries(headers);
    for (let i = 0; i < entries.length; i++) {
      const k = entries[i][0], v = entries[i][1];
      const values = ArrayIsArray(v) ? v : [v];
      for (let j = 0; j < values.length; j++) ReflectApply(ArrayPush, out, [k, String(values[j])]);
    }
    return out;
  }

  function where() {
    const lines = String(new ErrorCtor().stack).split('\n');
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
  const log = ObjectFreeze({
    debug: (...a) => services.log(0, where(), text(a)),
    info: (...a) => services.log(1, where(), text(a)),
    warn: (...a) => services.log(2, where(), text(a)),
    error: (...a) => services.log(3, where(), text(a)),
  });
  // What SIP answered for a script mistake (relay to nobody: 480), logged at the script's line.
  function warnIfAny(jx) { const w = jx.takeWarning(); if (w !== null) log.warn(w); }
  // Before the module runs: console.log at its top level goes to sip.log too.
  globalThis.console = ObjectFreeze({ log: log.info, info: log.info, debug: log.debug, warn: log.warn, error: log.error });

  function storeFail(r) { if (typeof r === 'string') throw new (r.startsWith('RangeError') ? RangeErrorCtor : TypeErrorCtor)(r.substring(r.indexOf(':') + 2)); return r; }
  const store = ObjectFreeze({
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
  function contacts(hostArray) { return mapList(hostArray, c => new Contact(c)); }
  const location = ObjectFreeze({
    lookup: (aor) => {
      const r = services.lookup(String(aor));
      if (typeof r === 'string') throw new TypeErrorCtor(r);
      return contacts(r);
    },
  });

  // The relay's Promise tells Java when someone waits for it (then, await, catch, finally all go
  // through then): a relay nobody waits for completes without re-entering the context. Its jx
  // is a private field, set by the closure-scoped tagRelay.
  class RelayPromise extends PromiseCtor {
    #jx = null;
    constructor(executor) { super(executor); }
    static get [Symbol.species]() { return PromiseCtor; }
    then(onFulfilled, onRejected) {
      const jx = this.#jx;
      if (jx !== null) { this.#jx = null; jx.wantResult(); }
      return then(this, onFulfilled, onRejected);
    }
    static { tagRelay = (p, jx) => { p.#jx = jx; }; }
  }
  freezeClass(RelayPromise);

  class Sip {
    #jx; #req;
    constructor(jx, req) { this.#jx = jx; this.#req = req; }
    get store() { return store; }
    get log() { return log; }
    get location() { return location; }
    get registrar() {
      const jx = this.#jx, req = this.#req;
      return { save: (r) => { if (r !== req) throw new TypeErrorCtor('save takes the req given to onRequest'); const o = jx.save(unwrapRequest(r)); if (typeof o === 'string') throw new TypeErrorCtor(o); return { status: o.status(), contacts: contacts(o.contacts()) }; } };
    }
    get auth() {
      const jx = this.#jx, req = this.#req;
      return { check: (r, realm) => { if (r !== req) throw new TypeErrorCtor('check takes the req given to onRequest'); const rl = realm === undefined || realm === null ? null : String(realm); fail(jx.authRealm(rl)); const user = jx.authCheck(unwrapRequest(r), rl); warnIfAny(jx); return user; } };
    }
    reply(status, reason, headers) {
      // 100..699 here: -0 or 2**32 + 200 are integers but no Java int status.
      if (!NumberIsInteger(status) || status < 100 || status > 699) {
        throw new TypeErrorCtor('reply status must be an integer 100..699, not ' + status);
      }
      const jx = this.#jx;
      const pairs = headerPairs(headers);
      const why = reason === undefined || reason === null ? null : String(reason);
      // Headers go over one by one: a call from JS into Java is cheap, Java reading a JS object is
      // not. Staged only once nothing JS-side can fail, on a cleared list; reply clears it too.
      jx.clearReplyHeaders();
      for (let i = 0; i < pairs.length; i += 2) jx.replyHeader(pairs[i], pairs[i + 1]);
      fail(jx.reply(status, why));
    }
    relay(req, targets, options) {
      const jreq = unwrapRequest(req);
      if (jreq === null) throw new TypeErrorCtor('relay takes the req given to onRequest');
      const jx = this.#jx;
      jx.clearTargets();
      addTargets(jx, targetsOf(targets), false);
      let recordRoute = -1, forking = null, branchTimeout = -1, responseTimeout = -1, maxBranches = -1;
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object') throw new TypeErrorCtor('relay options must be an object');
        const keys = ObjectKeys(options);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const v = options[key];
          switch (key) {
            case 'recordRoute':
              if (typeof v !== 'boolean') optionType(key, 'a boolean', v);
              recordRoute = v ? 1 : 0; break;
            case 'forking':
              if (typeof v !== 'string') optionType(key, "'parallel' or 'serial'", v);
              forking = v; break;
            case 'branchTimeout':
              if (typeof v !== 'number') optionType(key, 'a number of milliseconds', v);
              branchTimeout = v; break;
            case 'responseTimeout':
              if (typeof v !== 'number') optionType(key, 'a number of milliseconds', v);
              responseTimeout = v; break;
            case 'maxBranches':
              if (!NumberIsInteger(v) || v < 1 || v > 0x7fffffff) optionType(key, 'a positive integer', v);
              maxBranches = v; break;
            default: throw new TypeErrorCtor("unknown relay option '" + key + "' (recordRoute, forking, branchTimeout, responseTimeout, maxBranches)");
          }
        }
      }
      const sip = this;
      let resolve;
      const promise = new RelayPromise((r) => { resolve = r; });
      tagRelay(promise, jx);
      fail(jx.relay(jreq, recordRoute, forking, branchTimeout, responseTimeout, maxBranches,
        (status, reason, outcome) => resolve(ObjectFreeze({ status, reason, outcome })),
        onResponse === null ? null : (jres, index, target) => { onResponse(new Response(jres), ObjectFreeze({ index, target }), sip); },
        onFailure === null ? null : (jres, index, target) => {
          addTargets(jx, targetsOf(onFailure(new Response(jres), ObjectFreeze({ index, target }), req, sip)), true);
        }));
      warnIfAny(jx);
      return promise;
    }
  }

  freezeClass(Sip);

  // The worker calls this once per request: returns true while an async handler is pending. The
  // settle callbacks go to a native Promise through the captured then, never to script code.
  function dispatch(jx, jreq) {
    const req = new Request(jreq);
    const result = onRequest(req, new Sip(jx, req));
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      then(ReflectApply(PromiseResolve, PromiseCtor, [result]), () => jx.settled(null), (e) => jx.settled(e));
      return true;
    }
    return false;
  }
  // Before a version takes traffic each worker calls this once with a synthetic request: every
  // view of req is built and read (the first calls through the binding are the slow ones), and no
  // user code runs.
  dispatch.warm = function warm(jreq) {
    const r = new Request(jreq);
    const seen = [r.method, r.uri.toString(), r.uri.user, r.uri.host, r.uri.port, r.uri.params, r.uri.param('transport'),
      r.from.toString(), r.from.tag, r.from.uri.user, r.to.displayName, (r.contact === null ? null : r.contact.toString()), r.contacts.length,
      r.via.branch, r.via.host, r.via.port, r.via.rport, r.via.received, r.vias.length, r.cseq.seq, r.callId,
      r.maxForwards, r.body, r.contentType, r.source.address, r.transport, r.inDialog, r.header('Subject'),
      r.headers('Subject').length, r.toString().length];
    return seen.length;
  };


  // Called once, after the module was evaluated, with its namespace.
  return function bind(exports) {
    onRequest = exports.onRequest;
    onResponse = typeof exports.onResponse === 'function' ? exports.onResponse : null;
    onFailure = typeof exports.onFailure === 'function' ? exports.onFailure : null;
    return dispatch;
  };
})
