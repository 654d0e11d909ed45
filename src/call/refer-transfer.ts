import type { SipRequest } from '../sip/index.js';
import type { TransferRequest, TransferResult } from './call-control.js';
import { CALLER_HUNG_UP, type TransferLinks, type TransferParty } from './transfer-links.js';
import { referToValue, type TransferTarget } from './transfer-target.js';

/** How long past the ring timeout we wait for the final NOTIFY before bridging ourselves. */
export const REFER_MARGIN_MS = 5000;

/**
 * What a NOTIFY says about our REFER: the status of the sipfrag's status line (RFC 3515 §2.4.5), or 0 when the
 * subscription ended (Subscription-State: terminated, RFC 3515 §2.4.7) without a final status; undefined for a
 * NOTIFY of another event package or without a sipfrag status line.
 */
export function referNotifyStatus(req: SipRequest): number | undefined {
  // RFC 3515 §2.4.4: the implicit subscription's NOTIFYs carry "Event: refer" (with an id param after a 2nd REFER).
  const event = (req.headers.get('Event') ?? '').split(';')[0].trim().toLowerCase();
  if (event !== 'refer') return undefined;
  const type = (req.headers.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
  const m = type === 'message/sipfrag' ? /^SIP\/2\.0\s+(\d{3})\b/i.exec(req.body.toString('utf8').trimStart()) : null;
  const status = m ? Number(m[1]) : undefined;
  const terminated = (req.headers.get('Subscription-State') ?? '').trim().toLowerCase().startsWith('terminated');
  if (terminated && (status === undefined || status < 200)) return 0;
  return status;
}

type ReferEnd = 'referred' | 'fall-back' | 'caller-gone';

/**
 * A blind transfer by REFER (RFC 3515) in the caller's dialog: the caller's side calls the target itself and
 * reports progress in NOTIFYs. A 2xx sipfrag means it reached the target: our part is over and we hang up. A
 * refused REFER, a failure sipfrag or silence past the ring timeout resolve 'fall-back' (the caller is bridged).
 */
export class ReferTransfer {
  constructor(
    private readonly party: TransferParty,
    private readonly links: TransferLinks,
    private readonly target: TransferTarget,
    private readonly request: TransferRequest,
  ) {}

  async run(): Promise<TransferResult | 'fall-back'> {
    const end = await this.refer();
    if (end === 'caller-gone') return CALLER_HUNG_UP;
    if (end === 'fall-back') return 'fall-back';
    this.links.log.info({ callId: this.party.id, target: this.target.uri }, 'transfer: referred; hanging up our side');
    // The call is over at once (RFC 3261 §15.1.1); the BYE's own answer is no business of the flow.
    void this.party.hangup();
    return { outcome: 'referred' };
  }

  private refer(): Promise<ReferEnd> {
    const { party, links, target, request } = this;
    const dialog = party.sipDialog;
    if (!dialog || dialog.terminated) return Promise.resolve('fall-back');
    const log = (msg: string, extra: Record<string, unknown> = {}): void => links.log.info({ callId: party.id, ...extra }, `transfer: ${msg}`);
    return new Promise<ReferEnd>((resolve) => {
      let accepted = false;
      let finalStatus: number | undefined;
      let done = false;
      const finish = (end: ReferEnd): void => {
        if (done) return;
        done = true;
        timer.cancel();
        offEnded();
        dialog.onNotify = undefined;
        resolve(end);
      };
      const settle = (): void => {
        if (finalStatus === undefined || !accepted) return;
        if (finalStatus >= 200 && finalStatus < 300) {
          finish('referred');
        } else {
          log('the REFER failed; bridging instead', { status: finalStatus });
          finish('fall-back');
        }
      };
      // RFC 3515 §2.4.4: every NOTIFY of the implicit subscription is answered 200; 1xx sipfrags are progress only.
      dialog.onNotify = (req) => {
        const status = referNotifyStatus(req);
        if (status !== undefined && (status >= 200 || status === 0)) {
          finalStatus ??= status;
          // Settled after the 200 to this NOTIFY is on its way, so our BYE does not overtake it.
          setImmediate(settle);
        }
        return 200;
      };
      const timer = links.clock.setTimer(request.ringTimeoutMs + REFER_MARGIN_MS, () => {
        log('no final NOTIFY in time; bridging instead');
        finish('fall-back');
      });
      const offEnded = party.onEnded(() => finish(finalStatus !== undefined && finalStatus >= 200 && finalStatus < 300 ? 'referred' : 'caller-gone'));
      const headers: [string, string][] = [
        ['Refer-To', referToValue(target.uri, request.headers)],
        // RFC 3892 §3: the referrer's identity; ours in this dialog is the address the caller called.
        ['Referred-By', `<${dialog.local.uri}>`],
      ];
      dialog.request('REFER', { headers }).then((res) => {
        // RFC 3515 §2.4.2: 202 Accepted (any 2xx) means the referee will try; anything else is a refusal.
        if (res.status >= 300) {
          log('the caller refused the REFER; bridging instead', { status: res.status });
          finish('fall-back');
          return;
        }
        accepted = true;
        settle();
      }, (err: unknown) => {
        log('the REFER went unanswered; bridging instead', { err });
        finish('fall-back');
      });
    });
  }
}
