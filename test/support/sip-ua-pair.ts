/**
 * Two SipUserAgents back to back over real sockets on 127.0.0.1 (ephemeral ports), sharing one FakeClock so that
 * retransmission and timeout timers fire only when a test advances the clock. "alice" is the caller (UAC),
 * "bob" the callee (UAS). Each transport can be wrapped to lose chosen outbound messages.
 */
import { FakeClock } from '../../src/common/index.js';
import { configureLogging } from '../../src/observability/index.js';
import {
  SipTransportLayer, SipUserAgent, type InboundSource, type SendDestination, type SendErrorHandler, type SipMessage,
  type SipResponse, type SipTransport, type TransportName,
} from '../../src/sip/index.js';

configureLogging('silent');

/** Delegates to a real transport, dropping outbound messages for which `drop` returns true. */
export class LossyTransport implements SipTransport {
  readonly dropped: SipMessage[] = [];
  readonly sentMessages: SipMessage[] = [];
  drop: (msg: SipMessage) => boolean = () => false;

  constructor(private readonly inner: SipTransportLayer) {}

  get onMessage(): (msg: SipMessage, source: InboundSource) => void {
    return this.inner.onMessage;
  }
  set onMessage(fn: (msg: SipMessage, source: InboundSource) => void) {
    this.inner.onMessage = fn;
  }

  send(msg: SipMessage, dest: SendDestination, onError?: SendErrorHandler): void {
    this.sentMessages.push(msg);
    if (this.drop(msg)) {
      this.dropped.push(msg);
      return;
    }
    this.inner.send(msg, dest, onError);
  }

  sendResponse(res: SipResponse, source: InboundSource, onError?: SendErrorHandler): void {
    this.sentMessages.push(res);
    if (this.drop(res)) {
      this.dropped.push(res);
      return;
    }
    this.inner.sendResponse(res, source, onError);
  }

  localAddress(transport: TransportName): { host: string; port: number } {
    return this.inner.localAddress(transport);
  }
}

export interface UaPair {
  clock: FakeClock;
  alice: SipUserAgent;
  bob: SipUserAgent;
  aliceWire: LossyTransport;
  bobWire: LossyTransport;
  /** A Request-URI reaching bob over `transport`. */
  bobUri(user: string): string;
  close(): Promise<void>;
}

export async function startUaPair(transport: TransportName, bobSupported: string[] = []): Promise<UaPair> {
  const clock = new FakeClock();
  const layer = (): SipTransportLayer => new SipTransportLayer({
    host: '127.0.0.1', port: 0, transports: ['udp', 'tcp'], maxMessageBytes: 65535, clock,
  });
  const aliceLayer = layer();
  const bobLayer = layer();
  await aliceLayer.listen();
  await bobLayer.listen();
  const aliceWire = new LossyTransport(aliceLayer);
  const bobWire = new LossyTransport(bobLayer);
  const alice = new SipUserAgent({ transport: aliceWire, clock, userAgent: 'alice-test', contactUser: 'alice' });
  const bob = new SipUserAgent({ transport: bobWire, clock, userAgent: 'bob-test', contactUser: 'bob', supported: bobSupported });
  await alice.start();
  await bob.start();
  const bobPort = bobLayer.localAddress(transport).port;
  return {
    clock, alice, bob, aliceWire, bobWire,
    bobUri: (user) => `sip:${user}@127.0.0.1:${bobPort}${transport === 'tcp' ? ';transport=tcp' : ''}`,
    async close() {
      // stop() waits for its BYEs at most 4*T1 on this clock; moving the clock keeps teardown from hanging.
      const stopping = Promise.all([alice.stop(), bob.stop()]);
      clock.advance(2000);
      await stopping;
      await Promise.all([aliceLayer.close(), bobLayer.close()]);
    },
  };
}
