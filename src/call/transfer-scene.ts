/**
 * The scene of the transfer tests: a real SipUserAgent on an in-memory transport and a FakeClock, with one
 * answered call from the caller (sip:peer@192.0.2.9, dialog Call-ID call-1@192.0.2.9) whose Call has scripted
 * media. Tests play the caller and the target by delivering requests and responses, and read what we sent.
 */
import assert from 'node:assert/strict';
import { logger } from '../observability/index.js';
import type { SipDialog, SipMessage, SipRequest, SipResponse } from '../sip/index.js';
import { getFromTag, getToTag } from '../sip/index.js';
import type { SynthesizedAudio, TtsProvider } from '../speech/index.js';
import { FakeUa, rawRequest, rawResponse, requestsOf } from '../../test/support/sip-fake-ua.js';
import { Call } from './call.js';
import { PromptLibrary } from './prompt-library.js';
import { ScriptedMediaEngine, type ScriptedMedia } from './scripted-media.js';
import type { TransferLinks } from './transfer-links.js';
import type { Trunks } from './transfer-target.js';

export const CALLER_SDP = 'v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';
export const TARGET_SDP = 'v=0\r\no=- 7 7 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';

const silentTts: TtsProvider = {
  name: 'silent',
  voices: () => ['v'],
  synthesize: async (): Promise<SynthesizedAudio> => ({ pcm: new Int16Array(160), sampleRate: 8000 }),
};

export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface SceneOptions {
  trunks?: Trunks;
  /** Allow header of the caller's INVITE. */
  allow?: string;
}

export class TransferScene {
  readonly f = new FakeUa();
  readonly engine = new ScriptedMediaEngine();
  call!: Call;
  callerMedia!: ScriptedMedia;
  dialog!: SipDialog;
  /** Our To tag in the caller's dialog. */
  ourTag = '';
  private callerCSeq = 1;
  private readonly log = logger('test.transfer');

  static async start(options: SceneOptions = {}): Promise<TransferScene> {
    const scene = new TransferScene();
    await scene.f.start();
    await scene.answerCaller(options);
    return scene;
  }

  private async answerCaller(options: SceneOptions): Promise<void> {
    const { f } = this;
    this.callerMedia = await this.engine.createSession();
    let accept: Promise<{ dialog: SipDialog }> | undefined;
    let callerAllow: string[] | undefined;
    f.ua.onInvite = (invite) => {
      const allow = invite.request.headers.get('Allow');
      callerAllow = allow === undefined ? undefined : allow.split(',').map((m) => m.trim().toUpperCase());
      accept = invite.accept(Buffer.from(TARGET_SDP));
    };
    const ok = f.deliver(rawRequest('INVITE', { body: CALLER_SDP, headers: options.allow ? [`Allow: ${options.allow}`] : [] }));
    this.ourTag = getToTag(ok[0]) ?? '';
    f.deliver(rawRequest('ACK', { toTag: this.ourTag }));
    assert.ok(accept);
    this.dialog = (await accept).dialog;
    const links: TransferLinks = {
      ua: f.ua, media: this.engine, clock: f.clock, log: this.log, trunks: options.trunks ?? {}, callerAllow,
      localAudio: (session) => ({ address: '192.0.2.1', port: session.localPort, codecs: ['PCMU', 'PCMA'], telephoneEvent: true, ptimeMs: 20 }),
    };
    const prompts = new PromptLibrary(silentTts, 'v');
    this.call = new Call('call-1@192.0.2.9', 'alice', 'ivr', this.callerMedia, prompts, f.clock, this.log, links);
    this.call.answered(this.dialog);
    this.dialog.onTerminated = () => this.call.end('remote-bye');
  }

  /** What we sent since the last look, after letting pending promises run. */
  async sent(): Promise<SipMessage[]> {
    await flush();
    await flush();
    return this.f.taken();
  }

  /** The one request of `method` we sent since the last look. */
  async sentRequest(method: string): Promise<SipRequest> {
    const msgs = requestsOf(await this.sent(), method);
    assert.equal(msgs.length, 1, `expected one ${method}`);
    return msgs[0];
  }

  /** The target's response to our INVITE (or any request); returns what we sent in reaction. */
  respond(request: SipRequest, status: number, toTag?: string, body?: string, headers: [string, string][] = []): SipMessage[] {
    return this.f.deliver(rawResponse(request, status, toTag, headers, body));
  }

  /** The target hangs up the leg set up by `invite` (answered with To tag `targetTag`). */
  targetBye(invite: SipRequest, targetTag: string): SipResponse | undefined {
    const sent = this.f.deliver(rawRequest('BYE', {
      callId: invite.headers.get('Call-ID') ?? '', fromTag: targetTag, toTag: getFromTag(invite) ?? '', cseq: 100,
    }));
    return sent.find((m): m is SipResponse => m.kind === 'response');
  }

  /** A request from the caller in its dialog. */
  fromCaller(method: string, extra: { body?: string; contentType?: string; headers?: string[] } = {}): SipMessage[] {
    return this.f.deliver(rawRequest(method, { toTag: this.ourTag, cseq: ++this.callerCSeq, ...extra }));
  }

  /** Sessions created for outbound legs. */
  legs(): ScriptedMedia[] {
    return this.engine.sessions.filter((s) => s !== this.callerMedia);
  }
}
