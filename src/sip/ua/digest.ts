/**
 * HTTP Digest authentication as SIP uses it (RFC 3261 §22.4, RFC 2617 §3, RFC 7616 §3): parse a
 * WWW-Authenticate / Proxy-Authenticate challenge, answer it with Authorization / Proxy-Authorization, and — for a
 * registrar — issue challenges and verify the credentials that come back.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 7616 §3.3 algorithms; `-sess` variants hash the nonce and cnonce into HA1. */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** qop-options offered (RFC 2617 §3.2.1); empty for an RFC 2069 style challenge. */
  qop: string[];
  stale: boolean;
  domain?: string;
}

/** The fields of an Authorization / Proxy-Authorization value (RFC 2617 §3.2.2). */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  opaque?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

export interface DigestAnswerOptions {
  challenge: DigestChallenge;
  method: string;
  /** The Request-URI of the request being authorized (RFC 3261 §22.4: digest-uri is the Request-URI). */
  uri: string;
  username: string;
  password: string;
  /** Needed only for qop=auth-int. */
  body?: Buffer;
  /** Injectable for deterministic tests; random otherwise. */
  cnonce?: string;
  /** Nonce count: how many requests this nonce has authorized, starting at 1 (RFC 2617 §3.2.2). */
  nonceCount?: number;
}

export class DigestParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestParseError';
  }
}

/** Splits `Digest a=b, c="d, e"` into its scheme and lower-cased parameter map. */
export function parseAuthParams(value: string): { scheme: string; params: Map<string, string> } {
  const text = value.trim();
  const sp = text.search(/\s/);
  if (sp <= 0) throw new DigestParseError(`no auth-scheme in "${value}"`);
  const scheme = text.slice(0, sp);
  const params = new Map<string, string>();
  let i = sp;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ',' || /\s/.test(text[i]))) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new DigestParseError(`auth-param without "=" in "${value}"`);
    const name = text.slice(i, eq).trim().toLowerCase();
    if (!/^[A-Za-z0-9!%'*+._`~-]+$/.test(name)) throw new DigestParseError(`bad auth-param name "${name}"`);
    i = eq + 1;
    while (i < n && /\s/.test(text[i])) i++;
    let val = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '\\' && i + 1 < n) {
          val += text[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          val += c;
          i++;
        }
      }
      if (!closed) throw new DigestParseError(`unterminated quoted-string in "${value}"`);
    } else {
      const end = text.indexOf(',', i);
      val = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? n : end;
    }
    params.set(name, val);
  }
  return { scheme, params };
}

function parseAlgorithm(raw: string | undefined): DigestAlgorithm {
  if (raw === undefined) return 'MD5';
  const found = ALGORITHMS.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!found) throw new DigestParseError(`unsupported digest algorithm "${raw}"`);
  return found;
}

function required(params: Map<string, string>, name: string): string {
  const v = params.get(name);
  if (v === undefined) throw new DigestParseError(`missing "${name}" parameter`);
  return v;
}

/** Parses one WWW-Authenticate / Proxy-Authenticate value with the Digest scheme. */
export function parseDigestChallenge(value: string): DigestChallenge {
  const { scheme, params } = parseAuthParams(value);
  if (scheme.toLowerCase() !== 'digest') throw new DigestParseError(`not a Digest challenge: ${scheme}`);
  const qopRaw = params.get('qop');
  const challenge: DigestChallenge = {
    realm: required(params, 'realm'),
    nonce: required(params, 'nonce'),
    algorithm: parseAlgorithm(params.get('algorithm')),
    qop: qopRaw === undefined ? [] : qopRaw.split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== ''),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
  const opaque = params.get('opaque');
  if (opaque !== undefined) challenge.opaque = opaque;
  const domain = params.get('domain');
  if (domain !== undefined) challenge.domain = domain;
  return challenge;
}

/**
 * Picks the challenge to answer among several header values: the server lists them in order of preference, and the
 * client uses the first one it supports (RFC 7616 §3.7). Values we cannot parse or whose algorithm we lack are
 * skipped.
 */
export function selectDigestChallenge(values: readonly string[]): DigestChallenge | undefined {
  for (const v of values) {
    try {
      return parseDigestChallenge(v);
    } catch {
      continue;
    }
  }
  return undefined;
}

function hashHex(algorithm: DigestAlgorithm, data: string | Buffer): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5').update(data).digest('hex');
}

interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  nonce: string;
  cnonce?: string;
  nc?: string;
  qop?: string;
  method: string;
  uri: string;
  body?: Buffer;
}

/** request-digest of RFC 2617 §3.2.2.1 / RFC 7616 §3.4.1. */
export function computeDigestResponse(i: DigestInputs): string {
  const h = (s: string | Buffer): string => hashHex(i.algorithm, s);
  let ha1 = h(`${i.username}:${i.realm}:${i.password}`);
  if (i.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${i.nonce}:${i.cnonce ?? ''}`);
  const ha2 = i.qop === 'auth-int'
    ? h(`${i.method}:${i.uri}:${h(i.body ?? Buffer.alloc(0))}`)
    : h(`${i.method}:${i.uri}`);
  // RFC 2617 §3.2.2.1: without qop the RFC 2069 form KD(HA1, nonce:HA2) applies.
  if (i.qop === undefined) return h(`${ha1}:${i.nonce}:${ha2}`);
  return h(`${ha1}:${i.nonce}:${i.nc ?? ''}:${i.cnonce ?? ''}:${i.qop}:${ha2}`);
}

function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

/** Formats credentials as an Authorization / Proxy-Authorization value (RFC 2617 §3.2.2). */
export function formatDigestCredentials(c: DigestCredentials): string {
  const parts = [
    `username=${quote(c.username)}`, `realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`, `uri=${quote(c.uri)}`,
    `response=${quote(c.response)}`, `algorithm=${c.algorithm}`,
  ];
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  // RFC 2617 §3.2.2: qop and nc are unquoted tokens; cnonce is quoted.
  if (c.qop !== undefined) parts.push(`qop=${c.qop}`, `nc=${c.nc ?? ''}`, `cnonce=${quote(c.cnonce ?? '')}`);
  return `Digest ${parts.join(', ')}`;
}

/**
 * Answers a challenge. Uses qop=auth when offered (RFC 3261 §22.4 recommends it), auth-int only when it is the
 * sole option, and the RFC 2069 form when the challenge has no qop.
 */
export function answerDigestChallenge(o: DigestAnswerOptions): { credentials: DigestCredentials; header: string } {
  const { challenge } = o;
  let qop: string | undefined;
  if (challenge.qop.includes('auth')) qop = 'auth';
  else if (challenge.qop.includes('auth-int')) qop = 'auth-int';
  else if (challenge.qop.length > 0) throw new DigestParseError(`no supported qop in "${challenge.qop.join(',')}"`);
  const needsCnonce = qop !== undefined || challenge.algorithm.endsWith('-sess');
  const cnonce = needsCnonce ? (o.cnonce ?? randomBytes(8).toString('hex')) : undefined;
  const nc = qop !== undefined ? (o.nonceCount ?? 1).toString(16).padStart(8, '0') : undefined;
  const response = computeDigestResponse({
    algorithm: challenge.algorithm, username: o.username, realm: challenge.realm, password: o.password,
    nonce: challenge.nonce, cnonce, nc, qop, method: o.method, uri: o.uri, body: o.body,
  });
  const credentials: DigestCredentials = {
    username: o.username, realm: challenge.realm, nonce: challenge.nonce, uri: o.uri, response,
    algorithm: challenge.algorithm,
  };
  if (challenge.opaque !== undefined) credentials.opaque = challenge.opaque;
  if (qop !== undefined) {
    credentials.qop = qop;
    credentials.nc = nc;
    credentials.cnonce = cnonce;
  }
  return { credentials, header: formatDigestCredentials(credentials) };
}

/** Server side: formats a WWW-Authenticate / Proxy-Authenticate value. */
export function formatDigestChallenge(c: DigestChallenge): string {
  const parts = [`realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`];
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (c.domain !== undefined) parts.push(`domain=${quote(c.domain)}`);
  parts.push(`algorithm=${c.algorithm}`);
  // RFC 2617 §3.2.1: qop-options is a quoted list in the challenge.
  if (c.qop.length > 0) parts.push(`qop=${quote(c.qop.join(','))}`);
  if (c.stale) parts.push('stale=TRUE');
  return `Digest ${parts.join(', ')}`;
}

/** Server side: parses an Authorization / Proxy-Authorization value. */
export function parseDigestCredentials(value: string): DigestCredentials {
  const { scheme, params } = parseAuthParams(value);
  if (scheme.toLowerCase() !== 'digest') throw new DigestParseError(`not Digest credentials: ${scheme}`);
  const c: DigestCredentials = {
    username: required(params, 'username'),
    realm: required(params, 'realm'),
    nonce: required(params, 'nonce'),
    uri: required(params, 'uri'),
    response: required(params, 'response').toLowerCase(),
    algorithm: parseAlgorithm(params.get('algorithm')),
  };
  for (const k of ['opaque', 'qop', 'nc', 'cnonce'] as const) {
    const v = params.get(k);
    if (v !== undefined) c[k] = k === 'qop' ? v.toLowerCase() : v;
  }
  if (c.qop !== undefined && (c.nc === undefined || c.cnonce === undefined)) {
    throw new DigestParseError('qop present without nc and cnonce (RFC 2617 §3.2.2)');
  }
  return c;
}

/**
 * Server side: checks the response digest against the password. Nonce freshness, nonce-count replay and realm
 * policy belong to the caller (the registrar), which owns the nonces it issued.
 */
export function verifyDigestCredentials(
  c: DigestCredentials,
  o: { method: string; password: string; body?: Buffer },
): boolean {
  const expected = computeDigestResponse({
    algorithm: c.algorithm, username: c.username, realm: c.realm, password: o.password, nonce: c.nonce,
    cnonce: c.cnonce, nc: c.nc, qop: c.qop, method: o.method, uri: c.uri, body: o.body,
  });
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(c.response, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
