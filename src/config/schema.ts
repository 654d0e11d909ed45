import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** 0 = any free port (tests). */
const port = z.number().int().min(0).max(65535);

/**
 * What is wrong with a trunk address, if anything. It is a SIP URI without user part, `sip:host[:port][;params]`
 * (RFC 3261 §19.1.1), e.g. `sip:pbx.example.com:5060;transport=tcp`; a number dialled through it becomes its user.
 */
function trunkUriProblem(uri: string): string | undefined {
  // Our transports are UDP and TCP; a sips: URI would demand TLS (RFC 3261 §26.2.2).
  if (/^sips:/i.test(uri)) return 'sips: needs TLS, which is not supported: use sip:';
  const m = /^sip:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d+))?((?:;[^;?@\s]+)*)$/i.exec(uri);
  if (!m) return 'must be sip:host[:port][;params], without user part (e.g. sip:pbx.example.com:5060;transport=tcp)';
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return 'port must be 1-65535';
  const transport = /;transport=([^;]*)/i.exec(m[3])?.[1].toLowerCase();
  if (transport !== undefined && transport !== 'udp' && transport !== 'tcp') return 'transport must be udp or tcp';
  return undefined;
}

const trunk = z.strictObject({
  uri: z.string().superRefine((u, ctx) => {
    const problem = trunkUriProblem(u);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Digest credentials answering the trunk's 401/407 (RFC 3261 §22.2). */
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  /** User part of our From on calls through this trunk (an account number); default the caller's number. */
  fromUser: z.string().min(1).optional(),
}).refine((t) => (t.username === undefined) === (t.password === undefined), { message: 'username and password go together' });

/** The one schema for the server configuration; defaults give the embedded single-machine demo. */
export const configSchema = z.strictObject({
  sip: z.strictObject({
    /** Address the SIP sockets bind to. */
    host: z.string().default('0.0.0.0'),
    port: port.default(5060),
    transports: z.array(z.enum(['udp', 'tcp'])).min(1).default(['udp', 'tcp']),
    /** Address put in Contact/Via and SDP when the bind address is a wildcard; guessed when absent. */
    publicAddress: z.string().optional(),
    maxMessageBytes: z.number().int().min(1024).max(1_048_576).default(65_535),
    userAgent: z.string().default('Switchboard'),
    /** Ring (180) this long before answering; 0 answers at once. Gives callers and tests a window to CANCEL. */
    ringBeforeAnswerMs: z.number().int().min(0).max(60_000).default(0),
  }).prefault({}),
  http: z.strictObject({
    host: z.string().default('0.0.0.0'),
    port: port.default(8080),
  }).prefault({}),
  rtp: z.strictObject({
    portMin: port.default(20000),
    portMax: port.default(29999),
    /** Symmetric RTP: send to where the caller's media really comes from (RFC 4961), not only the SDP address. */
    latching: z.boolean().default(true),
    /**
     * With latching, also send to the latched source (RFC 4961 symmetric RTP, right for callers behind NAT); false
     * accepts the learned source but keeps sending to the SDP address.
     */
    symmetric: z.boolean().default(true),
  }).prefault({}).refine((r) => r.portMax - r.portMin >= 3, { message: 'portMax must exceed portMin by at least 3' }),
  media: z.strictObject({
    /**
     * Worker threads that carry RTP, each with its own pacer and sockets; 0 = media on the main thread. Default:
     * one per core (at most 4) — under load the main thread then keeps SIP and call logic responsive.
     */
    workers: z.number().int().min(0).max(16).default(() => Math.min(4, availableParallelism())),
  }).prefault({}),
  tts: z.strictObject({
    voice: z.enum(['slt', 'rms', 'awb', 'kal']).default('slt'),
  }).prefault({}),
  /** Offline speech recognition for flows that listen (ask nodes, menus and gathers with `input: speech|both`). */
  speech: z.strictObject({
    /** Off: speech inputs ask with keys, and each flow that listens says so once in the log. */
    enabled: z.boolean().default(true),
    /** Threads running recognitions, each with its own copy of the model (~40 MB). */
    workers: z.number().int().min(1).max(16).default(1),
    /** The acoustic model folder (default: the en-us model shipped with soundswallower). */
    model: z.string().optional(),
  }).prefault({}),
  flows: z.strictObject({
    /** The folder of flow files (YAML/JSON), watched for changes. */
    dir: z.string().default('flows'),
    /** The flow for called users that no flow claims in its `numbers`; '' answers them 404. */
    default: z.string().default('demo'),
    watch: z.boolean().default(true),
  }).prefault({}),
  /** Called SIP user → built-in application (the load-test app); a flow's `numbers` take precedence. */
  apps: z.record(z.string(), z.enum(['bench'])).default({ bench: 'bench' }),
  /** Trunk name → where transfers dialled through it go (flows name the trunk, not the host). */
  trunks: z.record(z.string(), trunk).superRefine((trunks, ctx) => {
    for (const name of Object.keys(trunks)) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'trunk names are letters, digits, - and _' });
    }
  }).default({}),
  dataDir: z.string().default('data'),
  /**
   * The sample CRM of the bank example (flows/data/demo-crm.json in the flows folder), on 127.0.0.1 only; off when
   * the flows folder has no such file. Turn it off in production.
   */
  demoCrm: z.strictObject({
    enabled: z.boolean().default(true),
    port: port.default(8099),
  }).prefault({}),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).prefault({}),
});

export type ServerConfig = z.infer<typeof configSchema>;
