// TypeScript declarations of Parley's JavaScript routing API (see README.md).
// Reference them from a script for editor completion:   /// <reference path="parley.d.ts" />

/** A SIP or tel URI. */
interface SipUri {
  readonly scheme: string;
  /** The user part (the number of a tel: URI), or null. */
  readonly user: string | null;
  /** The host, or null for a tel: URI. */
  readonly host: string | null;
  readonly port: number | null;
  /** A URI parameter: '' for a flag, null when absent. */
  param(name: string): string | null;
  readonly params: Record<string, string>;
  toString(): string;
}

/** A From, To or Contact value. */
interface NameAddr {
  readonly displayName: string | null;
  readonly uri: SipUri;
  readonly tag: string | null;
  param(name: string): string | null;
  toString(): string;
}

/** A Via value. */
interface Via {
  /** 'udp', 'tcp', 'tls', 'ws', 'wss' */
  readonly transport: string;
  readonly host: string;
  readonly port: number | null;
  readonly branch: string | null;
  readonly received: string | null;
  readonly rport: number | null;
  param(name: string): string | null;
  toString(): string;
}

/** The request given to onRequest. Header edits change what sip.relay forwards. */
interface SipRequest {
  readonly method: string;
  readonly uri: SipUri;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly contact: NameAddr | null;
  readonly contacts: NameAddr[];
  readonly via: Via;
  readonly vias: Via[];
  readonly cseq: { readonly seq: number; readonly method: string };
  readonly callId: string;
  readonly maxForwards: number | null;
  /** The body as UTF-8 text; '' when none. */
  readonly body: string;
  readonly contentType: string | null;
  readonly source: { readonly host: string; readonly port: number; readonly address: string };
  readonly transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss' | string;
  /** The request has a To tag. */
  readonly inDialog: boolean;
  /** The first value of a header, or null. */
  header(name: string): string | null;
  headers(name: string): string[];
  /** @throws TypeError for Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length */
  setHeader(name: string, value: string | number): void;
  /** @throws TypeError for Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length */
  addHeader(name: string, value: string | number): void;
  /** @throws TypeError for Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length */
  removeHeader(name: string): void;
  /** Rewrites the Request-URI. @throws TypeError if not a URI */
  setUri(uri: string | SipUri): void;
  /**
   * The request as received with the script's edits so far (header edits, `setUri`), in SIP wire
   * form. Not the copy `relay` sends: the proxy adds its own changes when relaying (Max-Forwards
   * decremented, its Via, Record-Route, Route processing).
   */
  toString(): string;
}

/** A branch's response, as onResponse/onFailure see it. */
interface SipResponse {
  readonly status: number;
  readonly reason: string;
  header(name: string): string | null;
  headers(name: string): string[];
  toString(): string;
}

/** One forwarded copy of a relayed request. */
interface Branch {
  /** 0 for the first branch, counting up in the order branches start. */
  readonly index: number;
  /** The branch's Request-URI. */
  readonly target: string;
}

/** A registered contact (sip.location.lookup, sip.registrar.save); a valid relay target. */
interface Contact {
  readonly uri: string;
  readonly q: number;
  /** Seconds until the binding expires. */
  readonly expires: number;
  /** Its Path (RFC 3327), as Route values. */
  readonly path: string[];
}

type Target = string | SipUri | Contact;
type Targets = Target | Target[];

interface RelayOptions {
  /** Default: the proxy's (on). */
  recordRoute?: boolean;
  /** Default 'parallel'. */
  forking?: 'parallel' | 'serial';
  /** Milliseconds a branch may take before it counts as a 408. Default: only Timer C (3 min). */
  branchTimeout?: number;
  /**
   * Milliseconds a branch may take until its first response of any kind (100 included) before it
   * counts as a 408 (no CANCEL is sent); any response stops it, so a ringing call is not cut.
   * Default: none (Timer B/F, 32 s).
   */
  responseTimeout?: number;
  /** Branches in all, onFailure's included. Default 60. */
  maxBranches?: number;
}

interface RelayResult {
  /** The final status sent upstream; 0 when none was ('not-sent'). */
  readonly status: number;
  readonly reason: string;
  readonly outcome: 'forwarded' | 'answered' | 'not-sent';
}

/** Headers of a reply: one value or several per name. */
type ReplyHeaders = Record<string, string | number | Array<string | number>>;

interface Sip {
  /**
   * Answers the request. 1xx first is allowed; a second final is a TypeError.
   * @throws TypeError for Via, From, To, Call-ID, CSeq or Content-Length in headers (the request's are used)
   */
  reply(status: number, reason?: string, headers?: ReplyHeaders): void;
  /** Forwards the request statefully; resolves once the final response went upstream (never rejects). */
  relay(req: SipRequest, targets: Targets, options?: RelayOptions): Promise<RelayResult>;
  readonly registrar: {
    /** Processes a REGISTER and sends the registrar's answer. */
    save(req: SipRequest): { readonly status: number; readonly contacts: Contact[] };
  };
  readonly location: {
    /** Live bindings of an address-of-record. */
    lookup(aorOrUri: string | SipUri): Contact[];
  };
  readonly auth: {
    /**
     * The authenticated user name, or null after it answered the request itself
     * (401 for REGISTER, 407 otherwise, 400 malformed credentials, 403 without config.auth).
     * A second call for the same request returns the same result.
     * @param realm must be config.auth.realm if given (else a TypeError naming it)
     */
    check(req: SipRequest, realm?: string): string | null;
  };
  /**
   * Shared by all workers, kept across reloads. At most 100,000 entries, keys of 1,024 characters,
   * string values of 65,536 characters, 33,554,432 characters in all (RangeError beyond).
   */
  readonly store: {
    get(key: string): string | number | boolean | null;
    /**
     * ttlSeconds <= 0 or absent: no expiry (Infinity too).
     * @throws TypeError for objects (JSON.stringify them); RangeError when full or too long
     */
    set(key: string, value: string | number | boolean, ttlSeconds?: number): void;
    delete(key: string): boolean;
    has(key: string): boolean;
    /** Atomic; absent counts as 0. @throws TypeError if the value is not a number */
    incr(key: string, delta?: number): number;
  };
  /** slf4j logger 'parley.script', prefixed with file:line. */
  readonly log: {
    debug(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  };
}

interface ParleyConfig {
  /** 'PROTO:HOST:PORT'; --listen on the command line wins. Read at start: a reload does not apply a change. */
  listen?: string[];
  /** Registrar domains; default any. */
  domains?: string[];
  auth?: {
    realm: string;
    /** User name → password. */
    users?: Record<string, string>;
    /**
     * Digest algorithms challenged, one header each, in order. Default ['SHA-256', 'MD5'].
     * Clients that read only the first challenge and know only MD5 (sipsak 0.9.8) need ['MD5'].
     */
    algorithms?: Array<'SHA-256' | 'SHA-512-256' | 'MD5'>;
  };
  /** JS worker threads, 1..256; --workers wins. Read at start: a reload does not apply a change. */
  workers?: number;
  /**
   * What the ws: and wss: listeners serve (SIP over WebSocket, RFC 7118). Read at start: a
   * reload does not apply a change.
   */
  websocket?: {
    /** The only request path served, e.g. '/sip'; other paths get 404. Default: any path. */
    path?: string;
    /**
     * Browser origins allowed, 'scheme://host[:port]' (e.g. 'https://phone.example.com'),
     * compared ignoring case; others get 403. Default: any. A handshake without Origin (not a
     * browser) is always allowed.
     */
    allowedOrigins?: string[];
  };
}

/** What a script module exports. */
interface ParleyScript {
  config?: ParleyConfig;
  onRequest(req: SipRequest, sip: Sip): void | Promise<void>;
  onResponse?(res: SipResponse, branch: Branch, sip: Sip): void;
  /** Return more targets to try, or nothing. */
  onFailure?(res: SipResponse, branch: Branch, req: SipRequest, sip: Sip): Targets | null | undefined | void;
}
