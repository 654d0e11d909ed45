import type { LookupMethod } from '../schema/index.js';

export interface HttpRequest {
  url: string;
  method: LookupMethod;
  headers: Readonly<Record<string, string>>;
  body?: string;
  /** The attempt fails with an HttpTimeoutError past this. */
  timeoutMs: number;
  /** The lookup node asking: names the request in logs, and lets a scripted fake answer per node. */
  node: string;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/**
 * One HTTP attempt. Resolves with any status (the lookup node judges it); rejects on a timeout (HttpTimeoutError)
 * or a network error. Injected through FlowRunner options so tests and the simulator can answer without a server.
 */
export type HttpFetch = (request: HttpRequest) => Promise<HttpResponse>;

export class HttpTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs}ms`);
    this.name = 'HttpTimeoutError';
  }
}

/** The default HttpFetch: the global fetch, cut off by AbortSignal.timeout. */
export const fetchHttp: HttpFetch = async (request) => {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const res = await fetch(request.url, {
      method: request.method, headers: request.headers, body: request.body, signal, redirect: 'follow',
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    if (signal.aborted) throw new HttpTimeoutError(request.timeoutMs);
    throw e;
  }
};
