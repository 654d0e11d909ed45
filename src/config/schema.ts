import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** 0 = any free port (tests). */
const port = z.number().int().min(0).max(65535);

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
  flows: z.strictObject({
    /** The folder of flow files (YAML/JSON), watched for changes. */
    dir: z.string().default('flows'),
    /** The flow for called users that no flow claims in its `numbers`; '' answers them 404. */
    default: z.string().default('demo'),
    watch: z.boolean().default(true),
  }).prefault({}),
  /** Called SIP user → built-in application (the load-test app); a flow's `numbers` take precedence. */
  apps: z.record(z.string(), z.enum(['bench'])).default({ bench: 'bench' }),
  dataDir: z.string().default('data'),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).prefault({}),
});

export type ServerConfig = z.infer<typeof configSchema>;
