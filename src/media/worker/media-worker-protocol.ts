/**
 * The messages between WorkerMediaEngine (main thread) and a media worker: small plain objects, one per control
 * action and one per event — never one per packet. Sessions are named by an id the main thread picks, prompts by
 * an id registered once per worker (their frames are shared memory, see Prompt.toData).
 */
import { ERROR_CODES, SwitchboardError, type ErrorCode } from '../../common/index.js';
import type { DtmfSource, MediaEngineStats, MediaSessionConfig, MediaSessionStats } from '../engine/index.js';
import type { PlaybackEndReason, PromptData } from '../player/index.js';
import type { RecordingEndReason, RecordingOptions } from '../recorder/index.js';

/** What a worker is started with: MediaEngineOptions without the parts that cannot cross threads (functions). */
export interface MediaWorkerData {
  engine: {
    bindHost: string;
    portMin: number;
    portMax: number;
    latching: boolean;
    symmetricRtp?: boolean;
    comfortSilence?: boolean;
    rtpTimeoutMs?: number;
    cname?: string;
    /** In-band DTMF detection for sessions without telephone-event (the default detector). */
    inbandDtmf: boolean;
  };
  logLevel: string;
}

export type WirePlayItem = { prompt: number } | { silenceMs: number };

export type WireRecordingOptions = Omit<RecordingOptions, 'onDone'>;

/** An Error as plain data; `code` survives when it is one of ours. */
export interface WireError {
  message: string;
  code?: string;
}

export interface WireRecordingResult {
  reason: RecordingEndReason;
  durationMs: number;
  path: string;
  digit?: string;
  error?: WireError;
}

export type ToWorker =
  | { t: 'create'; id: number }
  | { t: 'prompt'; prompt: number; data: PromptData }
  | { t: 'forget-prompt'; prompt: number }
  | { t: 'configure'; id: number; config: MediaSessionConfig }
  | { t: 'play'; id: number; play: number; items: WirePlayItem[] }
  | { t: 'stop-playback'; id: number }
  | { t: 'send-dtmf'; id: number; digits: string; durationMs: number }
  | { t: 'inject-dtmf'; id: number; digit: string }
  | { t: 'start-recording'; id: number; recording: number; options: WireRecordingOptions }
  | { t: 'stop-recording'; id: number }
  /** The ring's SharedArrayBuffer is shared with the worker by postMessage, not copied: no message per frame. */
  | { t: 'start-tap'; id: number; ring: SharedArrayBuffer }
  | { t: 'stop-tap'; id: number }
  | { t: 'bridge'; id: number; other: number }
  | { t: 'unbridge'; id: number }
  | { t: 'close'; id: number }
  /** The engine's stats, plus those of the listed sessions. */
  | { t: 'stats'; request: number; sessions: number[] }
  | { t: 'reset-pacer-window' }
  /** Close every session (recordings finish), close the engine, answer 'shutdown-done'. */
  | { t: 'shutdown' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'created'; id: number; rtpPort: number; rtcpPort: number }
  | { t: 'create-failed'; id: number; error: WireError }
  | { t: 'played'; id: number; play: number; reason: PlaybackEndReason }
  | { t: 'dtmf'; id: number; digit: string; source: DtmfSource }
  | { t: 'recorded'; id: number; recording: number; result: WireRecordingResult }
  | { t: 'rtp-timeout'; id: number }
  | { t: 'closed'; id: number; stats: MediaSessionStats }
  | { t: 'stats'; request: number; engine: MediaEngineStats; sessions: Array<[number, MediaSessionStats]> }
  /** A control action threw in the worker (the main thread validates first, so this means a bug). */
  | { t: 'failed'; action: ToWorker['t']; id?: number; error: WireError }
  | { t: 'shutdown-done' };

/** The events addressed to one session. */
export type SessionEvent = Extract<FromWorker, { t: 'played' | 'dtmf' | 'recorded' | 'rtp-timeout' | 'closed' }>;

export function toWireError(err: unknown): WireError {
  if (err instanceof SwitchboardError) return { message: err.message, code: err.code };
  return { message: err instanceof Error ? err.message : String(err) };
}

export function fromWireError(wire: WireError): Error {
  return wire.code !== undefined && wire.code in ERROR_CODES
    ? new SwitchboardError(wire.code as ErrorCode, wire.message)
    : new Error(wire.message);
}
