import type { Value } from '../expr/index.js';
import type { LookupHttp, LookupNode } from '../schema/index.js';
import { HttpTimeoutError, type HttpRequest } from './http-fetch.js';
import type { NodeContext, NodeHandler } from './node-handler.js';

/** Why a lookup went to its error branch (logged; the branch is the same for all). */
class LookupFailure extends Error {}

/** The inside of a JSON string, so a value inserted into a body template cannot break out of its quotes. */
const jsonStringContent = (text: string): string => JSON.stringify(text).slice(1, -1);

/** The value at `customer.name` / `items.0.id`; undefined when a step is missing. Own keys only. */
export function valueAtPath(data: unknown, path: string): unknown {
  let cur = data;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** JSON → flow value: scalars as they are, lists of scalars as lists, anything else as its JSON text. */
function toValue(v: unknown): Value {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) return v as Value[];
  return JSON.stringify(v);
}

function requestOf(http: LookupHttp, node: string, ctx: NodeContext): HttpRequest {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(http.headers)) headers[name.toLowerCase()] = ctx.renderTemplate(value);
  const request: HttpRequest = {
    url: ctx.renderTemplate(http.url, encodeURIComponent), method: http.method, headers, timeoutMs: http.timeoutMs, node,
  };
  if (http.body !== undefined) {
    request.body = ctx.renderTemplate(http.body, jsonStringContent);
    headers['content-type'] ??= 'application/json';
  }
  return request;
}

/** Timeouts, network errors and 5xx are worth another attempt; a 4xx or a bad body will not change. */
async function fetchJson(http: LookupHttp, node: string, ctx: NodeContext): Promise<unknown> {
  const request = requestOf(http, node, ctx);
  let last = '';
  for (let attempt = 0; attempt <= http.retries; attempt++) {
    let status: number;
    let body: string;
    try {
      ({ status, body } = await ctx.httpFetch(request));
    } catch (e) {
      last = e instanceof HttpTimeoutError ? `timeout after ${e.timeoutMs}ms` : `network error: ${(e as Error).message}`;
      continue;
    }
    if (status >= 500) {
      last = `HTTP ${status}`;
      continue;
    }
    if (status < 200 || status > 299) throw new LookupFailure(`HTTP ${status}`);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new LookupFailure('the response is not JSON');
    }
  }
  throw new LookupFailure(`${last} (${http.retries + 1} attempt${http.retries > 0 ? 's' : ''})`);
}

/**
 * Reads data for the call, from an HTTP service or one of the flow's tables, into variables. Every failure —
 * timeout, network error, a non-2xx status, a body that is not JSON, a path with no value — goes to `error`,
 * so a slow CRM costs the caller at most (1 + retries) × timeout, never the call. A table key without a row goes
 * to `notFound` (else `error`).
 */
export const lookupNode: NodeHandler<LookupNode> = {
  type: 'lookup',
  async exec(node, ctx) {
    let data: unknown;
    try {
      if (node.table !== undefined) {
        const rows = Object.hasOwn(ctx.flow.tables, node.table) ? ctx.flow.tables[node.table] : {};
        const key = ctx.renderTemplate(node.key ?? '');
        if (!Object.hasOwn(rows, key)) return node.notFound ?? node.error;
        data = rows[key];
      } else if (node.http) {
        data = await fetchJson(node.http, node.id, ctx);
      }
      const values: [string, Value][] = [];
      for (const [name, path] of Object.entries(node.into)) {
        const v = valueAtPath(data, path);
        if (v === undefined) throw new LookupFailure(`no value at '${path}'`);
        values.push([name, toValue(v)]);
      }
      for (const [name, v] of values) ctx.setVariable(name, v);
      return node.next;
    } catch (e) {
      if (!(e instanceof LookupFailure)) throw e;
      ctx.warn('lookup failed', { node: node.id, reason: e.message });
      return node.error;
    }
  },
};
