import type { Clock } from '../common/index.js';
import type { Logger } from '../observability/index.js';
import type { MediaEngineLike, MediaSessionLike } from '../media/index.js';
import type { LocalAudioCapabilities } from '../sdp/index.js';
import type { OutgoingInvite, OutgoingInviteOptions, SipDialog } from '../sip/index.js';
import type { TransferResult } from './call-control.js';
import type { Trunks } from './transfer-target.js';

/** What a call needs from the server to transfer: the UAC, the media engine and the trunks. Built by CallManager. */
export interface TransferLinks {
  ua: { invite(options: OutgoingInviteOptions): OutgoingInvite };
  media: MediaEngineLike;
  clock: Clock;
  log: Logger;
  trunks: Trunks;
  /** Our SDP capabilities for an outbound leg's `session`, towards `targetHost`. */
  localAudio(session: MediaSessionLike, targetHost: string): LocalAudioCapabilities;
  /** The methods the caller's INVITE listed in Allow (upper case); undefined when it had no Allow. */
  callerAllow: readonly string[] | undefined;
}

/** The parts of a Call a transfer works with. */
export interface TransferParty {
  readonly id: string;
  readonly callerId: string;
  readonly media: MediaSessionLike;
  readonly ended: boolean;
  /** The caller's dialog, once the call is answered. */
  readonly sipDialog: SipDialog | undefined;
  /** Returns the unsubscribe function. */
  onEnded(listener: () => void): () => void;
  hangup(): Promise<void>;
  clearDigits(): void;
}

/** The result when the caller hung up before the transfer got anywhere. */
export const CALLER_HUNG_UP: TransferResult = { outcome: 'failed', reason: 'caller hung up' };
