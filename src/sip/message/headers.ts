/**
 * SIP header storage. Names are case-insensitive (RFC 3261 §7.3.1) and compact forms (§7.3.3) are expanded to
 * their long form on insert, so `get('v')`, `get('Via')` and `get('VIA')` all find the same field.
 * Fields keep their order; a multi-valued header may be stored as several fields or one comma-separated field —
 * `getAll` returns the fields as stored, and the header parsers in this folder split comma lists.
 */

/** RFC 3261 §7.3.3 and later RFCs' compact forms. */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

/** Canonical spellings for serialization of well-known headers. */
const CANONICAL: Record<string, string> = {};
for (const n of [
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Authentication-Info', 'Authorization',
  'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition', 'Content-Encoding', 'Content-Language', 'Content-Length',
  'Content-Type', 'CSeq', 'Date', 'Error-Info', 'Expires', 'From', 'In-Reply-To', 'Max-Forwards', 'MIME-Version',
  'Min-Expires', 'Organization', 'Priority', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require',
  'Record-Route', 'Reply-To', 'Require', 'Retry-After', 'Route', 'Server', 'Subject', 'Supported', 'Timestamp', 'To',
  'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate', 'Session-Expires', 'Min-SE', 'Refer-To',
  'Referred-By', 'Event', 'Allow-Events', 'Subscription-State', 'RSeq', 'RAck', 'Reason', 'P-Asserted-Identity',
  ...Object.values(COMPACT_FORMS),
]) {
  CANONICAL[n.toLowerCase()] = n;
}

/** Lower-case long name for any spelling or compact form. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) {
    const long = COMPACT_FORMS[lower];
    if (long) return long.toLowerCase();
  }
  return lower;
}

/** The spelling used when serializing: canonical for known headers, as received otherwise. */
export function canonicalHeaderName(name: string): string {
  return CANONICAL[headerKey(name)] ?? name;
}

export interface HeaderField {
  /** Name as it will be serialized (canonical long form for known headers). */
  readonly name: string;
  value: string;
}

export class SipHeaders {
  private readonly fields: HeaderField[] = [];

  constructor(init?: Iterable<readonly [string, string]>) {
    if (init) for (const [n, v] of init) this.append(n, v);
  }

  /** Appends a field; compact names are expanded. */
  append(name: string, value: string): this {
    this.fields.push({ name: canonicalHeaderName(name), value });
    return this;
  }

  /** Inserts a field before all fields (used for a proxy's top Via, or to prepend Record-Route). */
  prepend(name: string, value: string): this {
    this.fields.unshift({ name: canonicalHeaderName(name), value });
    return this;
  }

  /** Replaces every field of this name by one field (appended at the position of the first one, or the end). */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const idx = this.fields.findIndex((f) => headerKey(f.name) === key);
    this.remove(name);
    const field = { name: canonicalHeaderName(name), value };
    if (idx < 0 || idx > this.fields.length) this.fields.push(field);
    else this.fields.splice(idx, 0, field);
    return this;
  }

  /** First field value of this name. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const f of this.fields) if (headerKey(f.name) === key) return f.value;
    return undefined;
  }

  /** Every field value of this name, in order (each may itself be a comma-separated list). */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const f of this.fields) if (headerKey(f.name) === key) out.push(f.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  remove(name: string): this {
    const key = headerKey(name);
    for (let i = this.fields.length - 1; i >= 0; i--) if (headerKey(this.fields[i].name) === key) this.fields.splice(i, 1);
    return this;
  }

  /** All fields in order. */
  entries(): readonly HeaderField[] {
    return this.fields;
  }

  clone(): SipHeaders {
    const h = new SipHeaders();
    for (const f of this.fields) h.fields.push({ name: f.name, value: f.value });
    return h;
  }
}
