import assert from 'node:assert/strict';
import { SystemClock } from '../../src/common/index.js';
import { configureLogging, logger } from '../../src/observability/index.js';
import { SipTransportLayer, SipUserAgent } from '../../src/sip/index.js';
import { Prompt, WorkerMediaEngine, encodeG711, renderBeep, renderTone } from '../../src/media/index.js';
import { CallManager, PromptLibrary, type CallApp, type TransferRequest, type TransferResult, type Trunks } from '../../src/call/index.js';
import type { SynthesizedAudio, TtsProvider } from '../../src/speech/index.js';
import { parseRtp, selectDatagrams, type UdpDatagram } from '../support/pcap/index.js';
import { writeRtpPcap } from './media.js';
import type { PortBlock } from './ports.js';

const silentTts: TtsProvider = {
  name: 'silent',
  voices: () => ['v'],
  synthesize: async (): Promise<SynthesizedAudio> => ({ pcm: new Int16Array(160), sampleRate: 8000 }),
};

/** Where the transfer tests' peers sit in a port block: the SIPp caller and target, their media, the target's URI. */
export function transferPeers(ports: PortBlock): {
  callerPort: number; targetPort: number; callerMedia: number; targetMedia: number; targetUri: string;
} {
  const targetPort = ports.sippBase + 1;
  return {
    callerPort: ports.sippBase, targetPort, callerMedia: ports.mediaBase, targetMedia: ports.mediaBase + 10,
    targetUri: `sip:agent@127.0.0.1:${targetPort}`,
  };
}

/**
 * Switchboard's call layer in the test process, built as src/app/server.ts builds it (SIP transport, UA, media on
 * two worker threads, call manager), with an application that transfers every call as the test last asked, then —
 * the caller still on — plays a beep and hangs up. For the transfer and REFER tests with real peers.
 */
export class TransferStack {
  /** The transfer the next call makes. */
  next: TransferRequest | undefined;
  private readonly waiting: Array<(r: TransferResult) => void> = [];

  private constructor(
    private readonly transport: SipTransportLayer,
    private readonly ua: SipUserAgent,
    private readonly media: WorkerMediaEngine,
    private readonly calls: CallManager,
  ) {}

  static async start(ports: PortBlock, trunks?: Trunks): Promise<TransferStack> {
    configureLogging('warn');
    const clock = new SystemClock();
    const transport = new SipTransportLayer({ host: '127.0.0.1', port: ports.sip, transports: ['udp'], maxMessageBytes: 65_535, clock });
    await transport.listen();
    const ua = new SipUserAgent({ transport, clock, userAgent: 'Switchboard-interop', log: logger('sip.ua') });
    await ua.start();
    // Two workers, as the server runs by default: the target's leg must be created in the caller's worker.
    const media = await WorkerMediaEngine.start({ bindHost: '127.0.0.1', portMin: ports.rtpMin, portMax: ports.rtpMax, latching: true, workers: 2 });
    const prompts = new PromptLibrary(silentTts, 'v');
    prompts.register('beep', Prompt.fromPcm(renderBeep({ durationMs: 300 }), 8000, 'beep'));
    const holder: { stack?: TransferStack } = {};
    const app: CallApp = (call) => holder.stack!.transferThenHangUp(call);
    const calls = new CallManager({
      ua, media, prompts, clock, log: logger('call'),
      route: () => app,
      mediaAddressFor: () => '127.0.0.1',
      ...(trunks ? { trunks } : {}),
    });
    holder.stack = new TransferStack(transport, ua, media, calls);
    return holder.stack;
  }

  /** The outcome of the next transfer. */
  nextResult(): Promise<TransferResult> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Once a transfer is over and the caller hung up, nothing of it may be left. */
  async assertNothingLeft(): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(this.calls.stats().active, 0, 'no call left');
    const media = await this.media.refreshStats();
    assert.equal(media.sessions, 0, 'no media session left');
    assert.deepEqual(media.workers.map((w) => w.sessions), [0, 0], 'no media session left in either worker');
    assert.equal(this.ua.stats().dialogs, 0, 'no dialog left');
    assert.equal(this.ua.stats().pendingOutgoing, 0, 'no INVITE left');
  }

  async close(): Promise<void> {
    await this.calls.hangupAll();
    await this.ua.stop();
    await this.media.close();
    await this.transport.close();
  }

  private async transferThenHangUp(call: Parameters<CallApp>[0]): Promise<TransferResult> {
    const request = this.next;
    assert.ok(request, 'a test set the transfer request');
    const result = await call.transfer(request);
    for (const resolve of this.waiting.splice(0)) resolve(result);
    if (!call.ended) {
      await call.play([{ kind: 'named', name: 'beep' }], { bargeIn: false });
      await call.hangup();
    }
    return result;
  }
}

/** A steady tone as an RTP pcap; returns the distinct PCMU payloads it holds (one, for a tone whose period divides 20 ms). */
export function tonePcap(path: string, frequencyHz: number, ms: number): Set<string> {
  const pcm = renderTone({ frequencies: [frequencyHz], levelDbm0: -12, durationMs: ms });
  writeRtpPcap(path, [{ kind: 'audio', samples: pcm }]);
  const payloads = new Set<string>();
  const frame = new Uint8Array(160);
  for (let i = 0; i + 160 <= pcm.length; i += 160) payloads.add(Buffer.from(encodeG711('pcmu', pcm.subarray(i, i + 160), frame)).toString('hex'));
  return payloads;
}

/** RTP packets to `dstPort` whose payload is one of `payloads`. */
export function countPayloads(datagrams: readonly UdpDatagram[], dstPort: number, payloads: Set<string>): number {
  return selectDatagrams(datagrams, { dstPort }).filter((d) => {
    const rtp = parseRtp(d.payload);
    return rtp !== undefined && payloads.has(rtp.payload.toString('hex'));
  }).length;
}
