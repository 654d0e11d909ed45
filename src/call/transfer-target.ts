import { formatUri, parseUri, type SipUri } from '../sip/index.js';

/** A trunk from the server configuration (`trunks.<name>`). */
export interface TrunkConfig {
  /** `sip:host[:port][;params]`, e.g. `sip:pbx.example.com:5060;transport=tcp`. */
  uri: string;
  username?: string;
  password?: string;
  /** User part of our From on calls through the trunk; default the caller's number. */
  fromUser?: string;
}

export type Trunks = Readonly<Record<string, Readonly<TrunkConfig>>>;

/** Where a transfer goes, resolved from the request and the trunks. */
export interface TransferTarget {
  /** The Request-URI of our INVITE, and the Refer-To address of a REFER. */
  uri: string;
  /** Host of `uri` without IPv6 brackets (for choosing the address our SDP advertises). */
  host: string;
  credentials?: { username: string; password: string };
  fromUser?: string;
}

function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function tryParseUri(text: string): SipUri | undefined {
  try {
    return parseUri(text);
  } catch {
    return undefined;
  }
}

/**
 * Resolves `target` (a `sip:` URI, or with `trunkName` a number or user) into the URI to call. Through a trunk a
 * number becomes `sip:<number>@<trunk host:port;params>`; a full SIP URI given with a trunk is called as it is,
 * with the trunk's credentials. Returns the reason when the target cannot be called.
 */
export function resolveTransferTarget(target: string, trunkName: string | undefined, trunks: Trunks): TransferTarget | { error: string } {
  const trimmed = target.trim();
  const asUri = /^sips?:/i.test(trimmed) ? tryParseUri(trimmed) : undefined;
  if (trunkName === undefined) {
    if (!asUri || asUri.scheme === 'tel' || asUri.host === '') return { error: `"${target}" is not a sip: URI (name a trunk to dial a number)` };
    return { uri: formatUri(asUri), host: bare(asUri.host) };
  }
  const trunk = Object.hasOwn(trunks, trunkName) ? trunks[trunkName] : undefined;
  if (!trunk) return { error: `unknown trunk "${trunkName}"` };
  const base = tryParseUri(trunk.uri);
  if (!base || base.host === '') return { error: `trunk "${trunkName}" has an unusable uri "${trunk.uri}"` };
  let uri: SipUri;
  if (asUri) uri = asUri;
  else if (trimmed === '' || /[@\s]/.test(trimmed)) return { error: `"${target}" is not a number or user to dial through trunk "${trunkName}"` };
  // RFC 3261 §19.1.1: the user part is escaped where it holds characters outside `user` (formatUri does it).
  else uri = { ...base, user: trimmed, password: undefined, headers: new Map() };
  const resolved: TransferTarget = { uri: formatUri(uri), host: bare(uri.host) };
  if (trunk.username !== undefined && trunk.password !== undefined) resolved.credentials = { username: trunk.username, password: trunk.password };
  if (trunk.fromUser !== undefined) resolved.fromUser = trunk.fromUser;
  return resolved;
}

/** RFC 3261 §25.1: `unreserved` (alphanum / mark) and `hnv-unreserved`, the characters a URI header keeps as is. */
function isHeaderChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || "-_.!~*'()[]/?:+$".includes(String.fromCharCode(c));
}

/** Escapes a URI header name or value (RFC 3261 §19.1.1, §25.1 `hname`/`hvalue`): other octets of its UTF-8 as %HH. */
export function escapeUriHeader(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte < 0x80 && isHeaderChar(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The Refer-To value for `uri` with `headers` embedded as URI headers (RFC 3515 §2.1: the referee copies them into
 * the request it sends; RFC 3261 §19.1.1 escaping). Always in angle brackets: a URI holding a comma, `?` or `;`
 * must be (RFC 3261 §20, RFC 3515 §2.1).
 */
export function referToValue(uri: string, headers: readonly [string, string][]): string {
  const parsed = parseUri(uri);
  const merged = new Map(parsed.headers);
  for (const [name, value] of headers) merged.set(escapeUriHeader(name), escapeUriHeader(value));
  return `<${formatUri({ ...parsed, headers: merged })}>`;
}

/** `sip:<user>@<host:port of our Contact>`: the caller's identity at our address, for the From of a transfer. */
export function fromUriAt(user: string, localContact: string): string | undefined {
  const contact = tryParseUri(localContact);
  if (!contact || contact.host === '') return undefined;
  return formatUri({
    scheme: 'sip', user: user === '' ? 'anonymous' : user, host: contact.host, port: contact.port, params: new Map(), headers: new Map(),
  });
}
