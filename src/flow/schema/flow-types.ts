/**
 * The types of a loaded, validated call flow (docs/flows.md). The loader turns a flow file into a FlowDocument:
 * prompts normalized to PromptPart lists, durations to milliseconds, defaults applied, every reference checked.
 * A FlowDocument is immutable once loaded: a call keeps the object it started with, so a hot reload never
 * changes the flow under a call in progress.
 */

import type { AskNode, FlowIntent, FlowSlot, InputMode, SpeechSettings } from './speech-types.js';

/** One piece of a prompt, played in order. */
export type PromptPart =
  /** Text to speak: may hold `{{ expression }}` templates and SSML-like tags (`<break 500ms/>`, `<say-as …>`). */
  | { kind: 'say'; text: string }
  /** A recorded file; `file` is absolute (resolved against the flow file's folder) and existed at load. */
  | { kind: 'play'; file: string };

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Opening hours within one day, in minutes since local midnight: open when `startMinute <= t < endMinute`. */
export interface TimeRange {
  startMinute: number;
  /** At most 1440 ("24:00"); always greater than startMinute (ranges do not cross midnight). */
  endMinute: number;
}

export interface Schedule {
  name: string;
  /** IANA name; the flow's timezone when the schedule names none. */
  timezone: string;
  /** Every weekday is present; an empty list means closed all day. Ranges are sorted and do not overlap. */
  hours: Record<Weekday, TimeRange[]>;
  /** `YYYY-MM-DD` dates (in the schedule's timezone) on which the schedule is closed all day. */
  holidays: string[];
}

/** The flow-wide way out to a human. */
export interface FlowEscape {
  /**
   * One DTMF key (default "0"). It works while any prompt plays and in menus (a menu's own option on the same key
   * wins); in a `gather` it is an ordinary digit unless it is the whole of an input that is not valid.
   */
  key: string;
  /** The node it leads to. */
  to: string;
}

export const NODE_TYPES = [
  'say', 'play', 'menu', 'gather', 'set', 'branch', 'switch', 'goto', 'subflow', 'hangup', 'lookup',
  'transfer', 'voicemail', 'callback', 'survey', 'ask',
] as const;

export type FlowNodeType = (typeof NODE_TYPES)[number];

interface NodeBase {
  /** The node's key under `nodes:`; a valid identifier. */
  id: string;
}

export interface SayNode extends NodeBase {
  type: 'say';
  prompt: PromptPart[];
  /** Absent: the path ends here (the linter reports it; at run time the call hangs up, or a subflow returns). */
  next?: string;
  /** Whether a key press stops the prompt (default true). */
  bargeIn: boolean;
}

/** `file: x.wav` and `prompt:` both load into `prompt`. */
export interface PlayNode extends NodeBase {
  type: 'play';
  prompt: PromptPart[];
  next?: string;
  bargeIn: boolean;
}

export interface MenuNode extends NodeBase {
  type: 'menu';
  /** May be empty when every option has a `say` label (the labels then make the whole prompt). */
  prompt: PromptPart[];
  /** Single DTMF key (0-9, *, #, A-D) → node id. */
  options: Record<string, string>;
  /**
   * Options offered only while their expression holds (context-aware menus: a courier flow offers "rebook" only for
   * a missed delivery). An option that is not offered is an invalid key. Evaluated each time the menu is entered.
   */
  optionConditions: Record<string, string>;
  /** Option key → what it does, spoken after `prompt` as "<label>, press <key>." for each option offered. */
  optionLabels: Record<string, PromptPart[]>;
  /** Keys (default), speech, or both; with speech, every option has phrases and the labels say "say <phrase>". */
  input: InputMode;
  /** Option key → what callers say for it (`speech:`); empty for a DTMF menu. */
  optionPhrases: Record<string, string[]>;
  /** Wait for a key after the prompt (default 5000). */
  timeoutMs: number;
  /** Times the menu is offered again after no input or an invalid key (default 3): 1 + retries attempts in all. */
  retries: number;
  /** Played after an invalid key, before the menu is offered again; absent: the runtime's default wording. */
  invalidPrompt?: PromptPart[];
  /** Played after a timeout, before the menu is offered again; absent: the runtime's default wording. */
  noInputPrompt?: PromptPart[];
  /** Where the call goes when the retries are used up; absent: the escape target, else a goodbye and hangup. */
  fallback?: string;
  /** Replays the prompt (default "*"); null when disabled with `repeatKey: false`. */
  repeatKey: string | null;
  /** Goes back to the menu the caller came from, if any. */
  backKey?: string;
  bargeIn: boolean;
}

export interface GatherValidation {
  /** Regular expression source the whole input must match (the runtime anchors it). Checked to compile at load. */
  pattern?: string;
  /** Whether the digits must pass the Luhn check (card numbers). */
  luhn: boolean;
}

export interface GatherNode extends NodeBase {
  type: 'gather';
  prompt: PromptPart[];
  /** Default 1. */
  minDigits: number;
  /** Default 20; at least minDigits. */
  maxDigits: number;
  /** Key that ends input without being part of it (default "#"); null when disabled with `terminator: false`. */
  terminator: string | null;
  /** Wait for the first key (default 5000). */
  timeoutMs: number;
  /** Wait between keys (default 3000). */
  interDigitTimeoutMs: number;
  /** Variable the digits are stored in. */
  into: string;
  validate?: GatherValidation;
  /** Played after input that fails minDigits or `validate`; absent: the runtime's default wording. */
  invalidPrompt?: PromptPart[];
  /** Played after no input at all; absent: the runtime's default wording. */
  noInputPrompt?: PromptPart[];
  /** Times the prompt is offered again after no or invalid input (default 3). */
  retries: number;
  /** Where the call goes when the retries are used up; absent: the escape target, else a goodbye and hangup. */
  fallback?: string;
  /** Masks the digits in logs and call records (default false), and what was said in the speech transcript. */
  sensitive: boolean;
  /** Keys (default), spoken digits, or both (at most 20 digits with speech). */
  input: InputMode;
  next?: string;
  bargeIn: boolean;
}

export interface SetNode extends NodeBase {
  type: 'set';
  /** Variable name → expression source (checked to parse at load), evaluated in order. */
  values: Record<string, string>;
  next?: string;
}

export interface BranchCondition {
  /** Expression source. */
  when: string;
  next: string;
}

export interface BranchNode extends NodeBase {
  type: 'branch';
  /** Tried in order; the first `when` that is true wins. */
  conditions: BranchCondition[];
  /** When no condition matches; absent: the path ends. */
  otherwise?: string;
}

export interface SwitchNode extends NodeBase {
  type: 'switch';
  /** Expression source; its value, as a string, is looked up in `cases`. */
  value: string;
  /** Case value (as written; YAML numbers become their string form) → node id. */
  cases: Record<string, string>;
  /** When no case matches; absent: the path ends. */
  default?: string;
}

export interface GotoNode extends NodeBase {
  type: 'goto';
  next: string;
}

export interface SubflowNode extends NodeBase {
  type: 'subflow';
  /** Name of another flow; its nodes run from its `start` until a path ends (a `hangup` still ends the call). */
  flow: string;
  next?: string;
}

export interface HangupNode extends NodeBase {
  type: 'hangup';
  /** Goodbye prompt; empty for none. */
  prompt: PromptPart[];
}

export type LookupMethod = 'GET' | 'POST';

export interface LookupHttp {
  /** Template; inserted values are URL-encoded. */
  url: string;
  method: LookupMethod;
  /** Template (for POST); inserted values are escaped as the inside of a JSON string. */
  body?: string;
  /** Header name → template. */
  headers: Record<string, string>;
  /** Per attempt (default 3000). */
  timeoutMs: number;
  /** Extra attempts after a timeout, a network error or a 5xx (default 0). */
  retries: number;
}

/**
 * Fetches JSON over HTTP, or reads a row of one of the flow's `tables`, and stores values from it. Exactly one of
 * `http` and `table` is present; `key` goes with `table`.
 */
export interface LookupNode extends NodeBase {
  type: 'lookup';
  http?: LookupHttp;
  /** Name of a table of the flow (checked at load). */
  table?: string;
  /** Template: the row of `table` to read. */
  key?: string;
  /** Variable → dotted path in the response or row (`customer.name`, `items.0.id`). */
  into: Record<string, string>;
  next?: string;
  /** Where a failed lookup goes: timeout, network error, non-2xx, bad JSON, a path with no value. */
  error: string;
  /** A table key with no row; absent: `error`. */
  notFound?: string;
}

export type TransferMethod = 'bridge' | 'refer';

/** Connects the caller to a SIP URI or a number through a trunk, with what the flow knows in X-Switchboard-* headers. */
export interface TransferNode extends NodeBase {
  type: 'transfer';
  /** Template: a `sip:` URI, or a number/user when `trunk` is given. */
  to: string;
  trunk?: string;
  method: TransferMethod;
  /** Played before dialling (e.g. "Connecting you to billing."); empty for none. */
  prompt: PromptPart[];
  /** Header suffix → template: `Department: billing` is sent as `X-Switchboard-Department: billing`. */
  headers: Record<string, string>;
  /** How long the target may ring (default 30000). */
  ringTimeoutMs: number;
  /** After a bridged call the target ended while the caller is still on (e.g. a post-call survey); absent: hang up. */
  next?: string;
  /** Where a busy target leads; absent: `failed`. */
  busy?: string;
  /** Where an unanswered attempt leads; absent: `failed`. */
  noAnswer?: string;
  /** Where any other failure leads (and busy/no-answer without their own branch). */
  failed: string;
}

/** Records a message after a greeting and a beep; the caller hears "saved" only once it is durable. */
export interface VoicemailNode extends NodeBase {
  type: 'voicemail';
  /** Default: the flow's name. */
  mailbox: string;
  prompt: PromptPart[];
  /** Default 120000. */
  maxLengthMs: number;
  /** Ends the recording after this long without speech (default 5000); 0 disables. */
  endSilenceMs: number;
  /** Key that ends the recording (default "#"); null when disabled. */
  finishKey: string | null;
  /** Play a beep before recording (default true). */
  beep: boolean;
  /** Played once the message is saved; absent: the default wording. */
  savedPrompt?: PromptPart[];
  /** Template: URL notified when the message is saved. */
  webhook?: string;
  /** After the saved prompt; absent: hang up. */
  next?: string;
  /** Where a recording with nothing said leads; absent: a goodbye and hangup. */
  noMessage?: string;
}

/** Takes a callback request: the number (caller ID confirmed, or keyed) and, if offered, a time window. */
export interface CallbackNode extends NodeBase {
  type: 'callback';
  /** Who calls back (a department or queue); default the flow's name. */
  queue: string;
  /** Played first (e.g. "We can call you back."); empty for none. */
  prompt: PromptPart[];
  /** Time windows offered as a menu (1, 2, …) in order; empty: no window is asked. */
  windows: string[];
  /** Played once the request is saved; absent: the default wording (which reads back number and window). */
  savedPrompt?: PromptPart[];
  /** Wait for each key (default 5000). */
  timeoutMs: number;
  /** Times a question is asked again after no or invalid input (default 2). */
  retries: number;
  webhook?: string;
  next?: string;
  /** When retries run out; absent: the escape target, else a goodbye and hangup. */
  fallback?: string;
}

export type SurveyAnswerKind = 'scale' | 'yes-no';

export interface SurveyQuestion {
  /** Identifier, unique in the node; names the answer in storage and records. */
  id: string;
  prompt: PromptPart[];
  /** 'scale': keys 1–5; 'yes-no': 1 yes, 2 no. */
  answer: SurveyAnswerKind;
}

/** Asks questions answered by one key; each answer is stored as it is given. */
export interface SurveyNode extends NodeBase {
  type: 'survey';
  /** Played before the first question; empty for none. */
  prompt: PromptPart[];
  questions: SurveyQuestion[];
  /** Wait for each answer (default 5000). */
  timeoutMs: number;
  /** Times a question is asked again after no or invalid input (default 1); then it is stored unanswered. */
  retries: number;
  /** Played after the last question; absent: the default wording. */
  thanksPrompt?: PromptPart[];
  next?: string;
}

export type FlowNode =
  | SayNode
  | PlayNode
  | MenuNode
  | GatherNode
  | SetNode
  | BranchNode
  | SwitchNode
  | GotoNode
  | SubflowNode
  | HangupNode
  | LookupNode
  | TransferNode
  | VoicemailNode
  | CallbackNode
  | SurveyNode
  | AskNode;

/** 1-based line and column in the flow file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Where things were in the file, for diagnostics after loading (linter, runtime errors). */
export interface FlowPositions {
  /** Node id → position of its key under `nodes:`. */
  nodes: Record<string, SourcePosition>;
  /**
   * Position of the value at each path, keyed by `pathKey(path)` (segments joined with "."), e.g. "nodes.main.next",
   * "nodes.main.options.1", "start". Holds every mapping key and value of the file; use `positionOf` to read it.
   */
  paths: Record<string, SourcePosition>;
  /**
   * For string values written on one line without escapes (so that character i of the string is column + i):
   * the position of the string's first character, keyed like `paths`. Lets diagnostics point inside a value.
   */
  text?: Record<string, SourcePosition>;
}

export interface FlowDocument {
  /** Unique among loaded flows; defaults to the file name without extension. */
  name: string;
  description?: string;
  /** SIP users / dialled numbers routed to this flow (default none: the flow is only used as a subflow). */
  numbers: string[];
  /** Default TTS voice (default "slt"). */
  voice: string;
  /** IANA timezone for time-of-day expressions and schedules (default "UTC"). */
  timezone: string;
  /** ISO 4217 code for `<say-as currency>` (default "USD"). */
  currency: string;
  /** false when the flow opts out (`escape: false`) or names no escape. */
  escape: FlowEscape | false;
  /** Id of the first node. */
  start: string;
  /** Node id → node, in file order. */
  nodes: Record<string, FlowNode>;
  /** Schedule name → schedule. */
  schedules: Record<string, Schedule>;
  /** Data table name → key → row, for `lookup` nodes (and enum slots). */
  tables: Record<string, Record<string, Readonly<Record<string, unknown>>>>;
  /** Slot name → slot, for intents (`{slot}` in examples). */
  slots: Record<string, FlowSlot>;
  /** Intent name → intent, for `ask` nodes. */
  intents: Record<string, FlowIntent>;
  /** Speech settings, defaults applied. */
  speech: SpeechSettings;
  /** Absolute path of the file the flow was loaded from. */
  file: string;
  /** Short hash of the file's text: names the version a call ran (records, logs). */
  revision: string;
  positions: FlowPositions;
}

export type FlowDiagnosticSeverity = 'error' | 'warning';

export interface FlowDiagnostic {
  file: string;
  line: number;
  column: number;
  /** Stable code from FLOW_DIAGNOSTIC_CODES, e.g. SWB_FLOW_UNKNOWN_NODE. */
  code: string;
  message: string;
  severity: FlowDiagnosticSeverity;
}

export type FlowLoadResult =
  | { ok: true; flow: FlowDocument; warnings: FlowDiagnostic[] }
  | { ok: false; errors: FlowDiagnostic[] };
