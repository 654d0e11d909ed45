import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../observability/index.js';
import { routeMessages, type MessageSources } from './message-routes.js';

export interface HealthSource extends MessageSources {
  /** Live status: ready flag plus whatever counters are worth showing. */
  health(): { ready: boolean; [key: string]: unknown };
  /** The calls in progress. */
  calls(): unknown[];
  /** Finished calls, newest first (`before`: a record id cursor), and one record by id. */
  records?: {
    list(query: { limit?: number; before?: number; from?: string; flow?: string }): unknown[];
    get(id: number): unknown;
  };
}

/**
 * The HTTP surface: health for load balancers and tests, the live calls, call records, and what callers left
 * (message-routes.ts). Plain node:http while the surface is this small; the REST API will bring its own router and
 * schemas.
 */
export class HttpServer {
  private server: Server | undefined;

  constructor(private readonly source: HealthSource, private readonly log: Logger) {}

  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    return typeof addr === 'object' && addr ? { host: addr.address, port: addr.port } : { host, port };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (routeMessages(req, res, url, this.source, (r, status, body) => this.json(r, status, body))) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.json(res, 405, { error: 'method not allowed' });
      return;
    }
    switch (path) {
      case '/healthz': {
        const h = this.source.health();
        this.json(res, h.ready ? 200 : 503, h);
        return;
      }
      case '/calls':
        this.json(res, 200, { calls: this.source.calls() });
        return;
      case '/records':
        this.listRecords(url, res);
        return;
      default: {
        const m = /^\/records\/(\d+)$/.exec(path);
        const record = m && this.source.records ? this.source.records.get(Number(m[1])) : undefined;
        if (record) this.json(res, 200, record);
        else this.json(res, 404, { error: 'not found' });
      }
    }
  }

  private listRecords(url: URL, res: ServerResponse): void {
    if (!this.source.records) {
      this.json(res, 404, { error: 'call records are not kept' });
      return;
    }
    const query: { limit?: number; before?: number; from?: string; flow?: string } = {};
    for (const key of ['limit', 'before'] as const) {
      const v = url.searchParams.get(key);
      if (v === null) continue;
      if (!/^\d+$/.test(v)) {
        this.json(res, 400, { error: `${key} must be a positive integer` });
        return;
      }
      query[key] = Number(v);
    }
    const from = url.searchParams.get('from');
    const flow = url.searchParams.get('flow');
    if (from) query.from = from;
    if (flow) query.flow = flow;
    try {
      this.json(res, 200, { records: this.source.records.list(query) });
    } catch (e) {
      this.json(res, 400, { error: (e as Error).message });
    }
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    if (status >= 500) this.log.warn({ status }, 'health check not ready');
  }
}
