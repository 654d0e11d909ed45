/**
 * Component test: the whole server in-process, called by a second full stack (our UAC + media engine) over real
 * UDP sockets on 127.0.0.1. Interop with third-party peers lives in test/interop; this one pins down that the
 * pieces compose: SDP answer, greeting audio on the wire, RFC 4733 key → goodbye → BYE from the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../common/index.js';
import { loadConfig } from '../config/index.js';
import { MediaEngine, readWav } from '../media/index.js';
import { acceptAnswer, createOffer, parseSdp, serializeSdp } from '../sdp/index.js';
import { SipTransportLayer, SipUserAgent } from '../sip/index.js';
import { matchEnvelope } from '../../test/support/pcap/envelope-match.js';
import { startServer } from './server.js';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}

/** Media on the main thread, and on two worker threads (media.workers, SWB_MEDIA_WORKERS). */
for (const workers of [0, 2]) {
  test(`a caller hears the greeting, presses 0, hears goodbye and receives the BYE (media workers: ${workers})`, { timeout: 60_000 }, () => callTheDemo(workers));
}

async function callTheDemo(workers: number): Promise<void> {
  const config = loadConfig({
    env: {},
    overrides: {
      sip: { host: '127.0.0.1', port: 0, transports: ['udp'] },
      http: { host: '127.0.0.1', port: 0 },
      rtp: { portMin: 41000, portMax: 41199 },
      media: { workers },
      flows: { dir: fileURLToPath(new URL('../../../flows', import.meta.url)), watch: false },
      dataDir: mkdtempSync(join(tmpdir(), 'swb-component-data-')),
      log: { level: 'silent' },
    },
  });
  assert.equal(config.media.workers, workers);
  const server = await startServer(config);
  const clock = new SystemClock();
  const transport = new SipTransportLayer({ host: '127.0.0.1', port: 0, transports: ['udp'], maxMessageBytes: 65535, clock });
  await transport.listen();
  const ua = new SipUserAgent({ transport, clock, userAgent: 'component-caller' });
  await ua.start();
  const media = new MediaEngine({ bindHost: '127.0.0.1', portMin: 41200, portMax: 41399, latching: true });
  try {
    const session = await media.createSession();
    const offer = createOffer({ address: '127.0.0.1', port: session.localPort, codecs: ['PCMA', 'PCMU'], telephoneEvent: true, ptimeMs: 20 });
    const outgoing = ua.invite({
      target: `sip:demo@127.0.0.1:${server.sip.port}`, body: Buffer.from(serializeSdp(offer)), contentType: 'application/sdp',
    });
    const { dialog, response } = await withTimeout(outgoing.result, 10_000, '200 OK');
    assert.equal(response.status, 200);
    const audio = acceptAnswer(offer, parseSdp(response.body));
    assert.ok(!('error' in audio), 'the answer is usable');
    assert.equal(audio.codec, 'pcma', 'the server takes the offer\'s first codec');
    session.configure(audio);
    const bye = new Promise<void>((resolve) => { dialog.onBye = () => resolve(); });

    // The demo flow's menu prompt (after its short welcome) and its goodbye, as the flow renders them.
    const rendered = async (name: string): Promise<{ pcm8k: Int16Array; durationMs: number }> => {
      const sources = server.flows.staticPrompt(name);
      assert.ok(sources, `flow prompt ${name}`);
      const [item] = await server.prompts.resolve(sources);
      assert.ok(item?.kind === 'prompt');
      return item.prompt;
    };
    const welcome = await rendered('demo/welcome');
    const greeting = await rendered('demo/main');
    const goodbye = await rendered('demo/goodbye');
    const path = join(mkdtempSync(join(tmpdir(), 'swb-component-')), 'heard.wav');
    const recorded = new Promise<void>((resolve) => {
      session.startRecording({ path, maxDurationMs: 30_000, onDone: () => resolve() });
    });
    await new Promise((r) => setTimeout(r, welcome.durationMs + greeting.durationMs + 300));
    session.sendDtmf('0');
    await withTimeout(bye, 15_000, 'the server\'s BYE after the goodbye prompt');
    session.stopRecording();
    await withTimeout(recorded, 5_000, 'the recording to close');

    const heard = readWav(readFileSync(path));
    const rec = { samples: heard.pcm, sampleRate: heard.sampleRate };
    const g = matchEnvelope({ samples: greeting.pcm8k, sampleRate: 8000 }, rec);
    const b = matchEnvelope({ samples: goodbye.pcm8k, sampleRate: 8000 }, rec);
    assert.ok(g && g.correlation > 0.9, `greeting heard (correlation ${g?.correlation})`);
    assert.ok(b && b.correlation > 0.8, `goodbye heard (correlation ${b?.correlation})`);
    assert.ok(b.startSec > g.startSec, 'goodbye comes after the greeting');

    const health = await (await fetch(`http://127.0.0.1:${server.http.port}/healthz`)).json() as { media: { workers?: unknown[]; packetsSent: number } };
    assert.equal(health.media.workers?.length ?? 0, workers, 'healthz shows the media workers in use');
    assert.ok(health.media.packetsSent > 0, 'healthz counts the packets sent');

    // The call record is written once the flow has returned after the BYE.
    for (let i = 0; i < 50 && server.records.count() === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const listed = await (await fetch(`http://127.0.0.1:${server.http.port}/records`)).json() as { records: { id: number }[] };
    assert.equal(listed.records.length, 1);
    const record = await (await fetch(`http://127.0.0.1:${server.http.port}/records/${listed.records[0].id}`)).json() as {
      flow: string; to: string; disposition: string; answeredAtMs?: number; path: { node: string }[]; inputs: { value?: string; keys?: string }[];
    };
    assert.equal(record.flow, 'demo');
    assert.equal(record.to, 'demo');
    assert.equal(record.disposition, 'self-served', 'the flow hung up after goodbye');
    assert.ok(record.answeredAtMs !== undefined);
    assert.deepEqual(record.path.map((s) => s.node), ['welcome', 'main', 'goodbye']);
    assert.equal((await fetch(`http://127.0.0.1:${server.http.port}/records/999999`)).status, 404);
  } finally {
    await media.close();
    await ua.stop();
    await transport.close();
    await server.stop();
  }
}

test('a speech model folder without a model stops the server at start, naming the missing file', { timeout: 30_000 }, async () => {
  const model = mkdtempSync(join(tmpdir(), 'swb-no-model-'));
  const config = loadConfig({
    env: {},
    overrides: {
      sip: { host: '127.0.0.1', port: 0, transports: ['udp'] },
      http: { host: '127.0.0.1', port: 0 },
      rtp: { portMin: 41400, portMax: 41499 },
      media: { workers: 0 },
      speech: { model },
      flows: { dir: fileURLToPath(new URL('../../../flows', import.meta.url)), watch: false },
      dataDir: mkdtempSync(join(tmpdir(), 'swb-component-data-')),
      log: { level: 'silent' },
      demoCrm: { enabled: false },
    },
  });
  await assert.rejects(startServer(config), (e: Error) => {
    assert.ok(e.message.includes(join(model, 'feat_params.json')), e.message);
    return true;
  });
});
