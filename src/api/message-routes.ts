import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Query = Record<string, string | number>;

/** What callers left, as the application exposes it; the HTTP layer passes queries through and shapes errors. */
export interface MessageSources {
  /** Voicemails, newest first (`before`: a voicemail id cursor); `audioPath` names a finished message's WAV. */
  voicemails?: {
    list(query: { limit?: number; before?: string; mailbox?: string; state?: string }): unknown[];
    get(id: string): unknown;
    audioPath(id: string): string | undefined;
  };
  /** Callback requests, newest first (`before`: a callback id cursor); `markDone` is undefined for an unknown id. */
  callbacks?: {
    list(query: { limit?: number; before?: string; state?: string; queue?: string }): unknown[];
    markDone(id: string): unknown;
  };
  /** Survey answers, newest first (`before`: an answer id cursor). */
  surveys?: {
    list(query: { limit?: number; before?: number; flow?: string; survey?: string }): unknown[];
  };
}

export type SendJson = (res: ServerResponse, status: number, body: unknown) => void;

interface ListSpec {
  /** Integer parameters. */
  ints: string[];
  /** Free-text parameters. */
  strings: string[];
  /** Parameters limited to some values. */
  choices?: Record<string, readonly string[]>;
}

/** Reads a list query; returns an error message for a bad parameter. */
function listQuery(url: URL, spec: ListSpec): Query | string {
  const query: Query = {};
  for (const key of spec.ints) {
    const v = url.searchParams.get(key);
    if (v === null) continue;
    if (!/^\d+$/.test(v)) return `${key} must be a positive integer`;
    query[key] = Number(v);
  }
  for (const key of spec.strings) {
    const v = url.searchParams.get(key);
    if (v) query[key] = v;
  }
  for (const [key, allowed] of Object.entries(spec.choices ?? {})) {
    const v = url.searchParams.get(key);
    if (v === null) continue;
    if (!allowed.includes(v)) return `${key} must be one of ${allowed.join(', ')}`;
    query[key] = v;
  }
  return query;
}

/**
 * Routes for voicemails, callback requests and survey answers. Returns false when the path is not one of them.
 *   GET /voicemails[?limit&before&mailbox&state]   GET /voicemails/:id   GET /voicemails/:id/audio (audio/wav)
 *   GET /callbacks[?limit&before&state&queue]      POST /callbacks/:id/done
 *   GET /surveys[?limit&before&flow&survey]
 */
export function routeMessages(req: IncomingMessage, res: ServerResponse, url: URL, sources: MessageSources, json: SendJson): boolean {
  const path = url.pathname;
  const segments = path.split('/').slice(1).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const [area, id, action] = segments;
  if (area !== 'voicemails' && area !== 'callbacks' && area !== 'surveys') return false;
  const post = area === 'callbacks' && action === 'done' && segments.length === 3;
  if (post ? req.method !== 'POST' : req.method !== 'GET' && req.method !== 'HEAD') {
    json(res, 405, { error: 'method not allowed' });
    return true;
  }
  const source = sources[area];
  if (!source) {
    json(res, 404, { error: `${area} are not kept` });
    return true;
  }
  const list = (spec: ListSpec, run: (q: Query) => unknown[], key: string): void => {
    const q = listQuery(url, spec);
    if (typeof q === 'string') json(res, 400, { error: q });
    else {
      try {
        json(res, 200, { [key]: run(q) });
      } catch (e) {
        json(res, 400, { error: (e as Error).message });
      }
    }
  };
  const notFound = (): void => json(res, 404, { error: 'not found' });

  if (area === 'voicemails' && sources.voicemails) {
    const vm = sources.voicemails;
    if (segments.length === 1) {
      list({ ints: ['limit'], strings: ['before', 'mailbox'], choices: { state: ['recording', 'saved', 'recovered'] } }, (q) => vm.list(q), 'voicemails');
    } else if (segments.length === 2 && id) {
      const found = vm.get(id);
      if (found) json(res, 200, found);
      else notFound();
    } else if (segments.length === 3 && id && action === 'audio') {
      sendWav(req, res, vm.audioPath(id), notFound);
    } else notFound();
  } else if (area === 'callbacks' && sources.callbacks) {
    const cb = sources.callbacks;
    if (segments.length === 1) {
      list({ ints: ['limit'], strings: ['before', 'queue'], choices: { state: ['pending', 'done'] } }, (q) => cb.list(q), 'callbacks');
    } else if (post && id) {
      const done = cb.markDone(id);
      if (done) json(res, 200, done);
      else notFound();
    } else notFound();
  } else if (area === 'surveys' && sources.surveys && segments.length === 1) {
    const sv = sources.surveys;
    list({ ints: ['limit', 'before'], strings: ['flow', 'survey'] }, (q) => sv.list(q), 'answers');
  } else notFound();
  return true;
}

function sendWav(req: IncomingMessage, res: ServerResponse, path: string | undefined, notFound: () => void): void {
  let size: number;
  try {
    if (path === undefined) throw new Error('no audio');
    size = statSync(path).size;
  } catch {
    notFound();
    return;
  }
  res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
