import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SystemClock, type Clock } from '../common/index.js';
import type { ServerConfig } from '../config/index.js';
import { configureLogging, logger } from '../observability/index.js';
import { SipTransportLayer, SipUserAgent } from '../sip/index.js';
import { MediaEngine, Prompt, WorkerMediaEngine, renderBeep, type MediaEngineLike } from '../media/index.js';
import { FliteTtsProvider, RecognitionHost } from '../speech/index.js';
import { CallManager, PromptLibrary, type CallApp } from '../call/index.js';
import { createBenchApp, BENCH_PROMPT_1, BENCH_PROMPT_2 } from '../flow/index.js';
import { HttpServer } from '../api/index.js';
import { SqliteCallRecordStore, SqliteMessageStore } from '../store/index.js';
import { renderBenchPrompts } from './bench-prompts.js';
import { toCallRecord } from './call-records.js';
import { chooseMediaAddress } from './media-address.js';
import { DemoCrm } from './demo-crm.js';
import { FlowService } from './flow-service.js';
import { FlowStorageAdapter } from './flow-storage-adapter.js';
import { messageSources } from './message-sources.js';
import { WebhookNotifier } from './webhook-notifier.js';

export interface RunningServer {
  sip: { host: string; port: number };
  http: { host: string; port: number };
  prompts: PromptLibrary;
  flows: FlowService;
  records: SqliteCallRecordStore;
  /** Voicemails, callback requests, survey answers and the webhook outbox. */
  messages: SqliteMessageStore;
  stop(): Promise<void>;
}

/** The prompt library with the built-in apps' prompts registered (flows add theirs when they load). */
export function buildPromptLibrary(config: Readonly<ServerConfig>, tts = new FliteTtsProvider({ defaultVoice: config.tts.voice })): PromptLibrary {
  const prompts = new PromptLibrary(tts, config.tts.voice);
  const bench = renderBenchPrompts();
  prompts.register(BENCH_PROMPT_1, bench.prompt1);
  prompts.register(BENCH_PROMPT_2, bench.prompt2);
  // "Record after the tone": flows play {kind: 'named', name: 'beep'} before record().
  prompts.register('beep', Prompt.fromPcm(renderBeep({ frequencyHz: 1000, durationMs: 300 }), 8000, 'beep'));
  return prompts;
}

/** The composition root: builds every adapter from the config and starts SIP, media and HTTP. */
export async function startServer(config: Readonly<ServerConfig>, clock: Clock = new SystemClock()): Promise<RunningServer> {
  configureLogging(config.log.level);
  const log = logger('app');
  const startedAt = clock.nowMs();

  // First, before anything needs closing: a missing or corrupt model stops the server here, naming the file.
  const speech = config.speech.enabled ? await startSpeech(config) : undefined;
  if (!speech) log.info('speech recognition is off (speech.enabled: false): flows that listen ask with keys');
  // Then the stores: a data dir that can't hold records stops the server before it takes a call.
  const records = new SqliteCallRecordStore({ dir: config.dataDir });
  const messages = new SqliteMessageStore({ dir: config.dataDir, clock });
  // Before the first call: a voicemail still 'recording' now was cut short by the last process (docs/architecture.md).
  const recovery = messages.recoverVoicemails();
  if (recovery.recovered.length + recovery.removed.length > 0) log.warn(recovery, 'voicemails recovered after an unclean stop');
  const notifier = new WebhookNotifier({ outbox: messages.outbox, clock, log: logger('webhook') });
  notifier.start();
  const tts = new FliteTtsProvider({ defaultVoice: config.tts.voice });
  const prompts = buildPromptLibrary(config, tts);
  const flows = new FlowService(config.flows.dir, config.flows.default, prompts, clock, logger('flow'), {
    storage: new FlowStorageAdapter(messages, notifier),
  });
  await flows.start({ watch: config.flows.watch });
  const apps: Record<string, CallApp> = { bench: createBenchApp() };

  const transport = new SipTransportLayer({
    host: config.sip.host, port: config.sip.port, transports: config.sip.transports,
    maxMessageBytes: config.sip.maxMessageBytes, publicAddress: config.sip.publicAddress, clock,
  });
  await transport.listen();
  const ua = new SipUserAgent({ transport, clock, userAgent: config.sip.userAgent, log: logger('sip.ua') });
  await ua.start();
  const mediaOptions = {
    bindHost: config.sip.host, portMin: config.rtp.portMin, portMax: config.rtp.portMax, latching: config.rtp.latching, symmetricRtp: config.rtp.symmetric,
  };
  // media.workers > 0: RTP runs on worker threads and this thread keeps only SIP and call logic.
  const media: MediaEngineLike = config.media.workers > 0
    ? await WorkerMediaEngine.start({ ...mediaOptions, workers: config.media.workers })
    : new MediaEngine(mediaOptions);
  const calls = new CallManager({
    ua, media, prompts, clock, log: logger('call'),
    // A flow claiming the number wins, then a built-in app, then the default flow; nothing → 404.
    route: (user) => {
      const claimed = user !== undefined ? flows.registry.resolve(user) : undefined;
      const appName = user !== undefined && !claimed ? config.apps[user] : undefined;
      return appName ? apps[appName] : flows.appFor(user);
    },
    ringBeforeAnswerMs: config.sip.ringBeforeAnswerMs,
    trunks: config.trunks,
    ...(speech ? { speech } : {}),
    // save() returns once the row is committed (WAL, synchronous=FULL): the record survives a crash from then on.
    onCallFinished: (info, appResult) => records.save(toCallRecord(info, appResult)),
    mediaAddressFor: (source) => chooseMediaAddress(config.sip.host, config.sip.publicAddress, source.host),
  });

  const demoCrm = await startDemoCrm(config);
  const http = new HttpServer({
    health: () => ({
      ready: true,
      uptimeS: Math.round((clock.nowMs() - startedAt) / 1000),
      calls: calls.stats(),
      flows: [...flows.registry.flows().keys()],
      media: media.stats(),
    }),
    calls: () => calls.activeCalls(),
    records: { list: (q) => records.list(q), get: (id) => records.get(id) },
    ...messageSources(messages),
  }, logger('api'));
  const httpAddr = await http.listen(config.http.host, config.http.port);
  const sipAddr = transport.localAddress(config.sip.transports[0]);
  log.info({ sip: sipAddr, transports: config.sip.transports, http: httpAddr, apps: config.apps }, 'switchboard ready');

  return {
    sip: sipAddr,
    http: httpAddr,
    prompts,
    flows,
    records,
    messages,
    async stop() {
      flows.stop();
      await demoCrm?.close();
      await calls.hangupAll();
      await http.close();
      await ua.stop();
      await media.close();
      await transport.close();
      await tts.close();
      await speech?.close();
      await notifier.stop();
      records.close();
      messages.close();
    },
  };
}

/** Recognition on its own worker threads, so decoding never delays SIP, call logic or the media pacers. */
async function startSpeech(config: Readonly<ServerConfig>): Promise<RecognitionHost> {
  const model = config.speech.model === undefined ? undefined : resolve(config.speech.model);
  return RecognitionHost.start({
    workers: config.speech.workers,
    recognizer: model === undefined ? {} : { modelBase: dirname(model), modelName: basename(model) },
  });
}

/** The bank example's sample CRM, when enabled and its data file exists; a port in use is logged, not fatal. */
async function startDemoCrm(config: Readonly<ServerConfig>): Promise<DemoCrm | undefined> {
  const file = join(config.flows.dir, 'data', 'demo-crm.json');
  if (!config.demoCrm.enabled || !existsSync(file)) return undefined;
  const log = logger('app.demo-crm');
  const crm = new DemoCrm(file, log);
  try {
    await crm.listen('127.0.0.1', config.demoCrm.port);
    log.info({ port: config.demoCrm.port }, 'demo CRM listening (demoCrm.enabled: false turns it off)');
    return crm;
  } catch (e) {
    log.warn({ err: e, port: config.demoCrm.port }, 'demo CRM not started');
    return undefined;
  }
}
