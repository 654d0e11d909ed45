import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../observability/index.js';

interface DemoCustomer {
  name: string;
  account: string;
  pin: string;
  balance: number;
}

const MAX_BODY = 4096;

/**
 * The sample CRM the example bank flow talks to (flows/bank.yaml), so `npm start` demonstrates caller lookup and
 * PIN checks without an outside system. It serves the customers of a JSON file — never the PIN, which only
 * /verify compares — and accepts the example flows' webhook notices (logged). Not for production data.
 */
export class DemoCrm {
  private server: Server | undefined;
  private readonly byPhone: Map<string, DemoCustomer>;
  private readonly byAccount: Map<string, DemoCustomer>;
  readonly notices: { kind: string; body: unknown }[] = [];

  constructor(dataFile: string, private readonly log: Logger) {
    const data = JSON.parse(readFileSync(dataFile, 'utf8')) as { customers: Record<string, DemoCustomer> };
    this.byPhone = new Map(Object.entries(data.customers));
    this.byAccount = new Map(Object.values(data.customers).map((c) => [c.account, c]));
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch(() => send(res, 500, { error: 'internal error' }));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server.address() as AddressInfo));
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && (m = /^\/customers\/([^/]+)$/.exec(path))) {
      const c = this.byPhone.get(m[1]);
      return c ? send(res, 200, { name: c.name, account: c.account }) : send(res, 404, { error: 'no such customer' });
    }
    if (req.method === 'GET' && (m = /^\/accounts\/([^/]+)\/balance$/.exec(path))) {
      const c = this.byAccount.get(m[1]);
      return c ? send(res, 200, { balance: c.balance }) : send(res, 404, { error: 'no such account' });
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (req.method === 'POST' && path === '/verify') {
      const { account, pin } = (body ?? {}) as { account?: unknown; pin?: unknown };
      const c = typeof account === 'string' ? this.byAccount.get(account) : undefined;
      return send(res, 200, { verified: c !== undefined && typeof pin === 'string' && pin === c.pin });
    }
    if (req.method === 'POST' && (m = /^\/notify\/([a-z-]+)$/.exec(path))) {
      this.notices.push({ kind: m[1], body });
      this.log.info({ kind: m[1], notice: body }, 'demo CRM notified');
      res.writeHead(204).end();
      return;
    }
    send(res, 404, { error: 'not found' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_BODY) return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
