import { readdirSync, statSync, watch as fsWatch } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { SystemClock, type Clock, type TimerHandle } from '../../common/index.js';
import { logger, type Logger } from '../../observability/index.js';
import { lintFlow } from '../lint/index.js';
import {
  compareDiagnostics,
  formatDiagnostic,
  loadFlowFile,
  positionOf,
  type FlowDiagnostic,
  type FlowDocument,
} from '../schema/index.js';

/** Refusals that another file's change can cure. */
const BECAUSE_OF_OTHERS = new Set(['SWB_FLOW_DUPLICATE_NAME', 'SWB_FLOW_DUPLICATE_NUMBER', 'SWB_FLOW_UNKNOWN_SUBFLOW', 'SWB_FLOW_SUBFLOW_CYCLE']);

export const FLOW_FILE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

export type FlowRegistryEvent =
  /** A flow went live: a new file, or a new version of a file (`previous` keeps serving the calls it started). */
  | { kind: 'loaded'; file: string; flow: FlowDocument; previous?: FlowDocument; warnings: FlowDiagnostic[] }
  /** A version was refused; `serving` is the version still live for that file, if any. */
  | { kind: 'rejected'; file: string; errors: FlowDiagnostic[]; serving?: FlowDocument }
  /** The file was deleted (or stopped being a flow file): its flow no longer takes new calls. */
  | { kind: 'unloaded'; file: string; flow: FlowDocument };

/** Watches a folder and reports file names (or null: "something changed, rescan"). */
export type DirectoryWatcher = (dir: string, onChange: (fileName: string | null) => void) => { close(): void };

export const fsDirectoryWatcher: DirectoryWatcher = (dir, onChange) => {
  const w = fsWatch(dir, { persistent: false }, (_event, name) => onChange(name === null ? null : String(name)));
  w.on('error', () => onChange(null));
  return w;
};

export interface FlowRegistryOptions {
  /** The flows folder (config `flows.dir`). */
  dir: string;
  clock?: Clock;
  /** Quiet time after the last change to a file before it is reloaded: editors write a file in several steps. */
  debounceMs?: number;
  /** Whether lint errors (dead ends, endless loops, unknown subflows…) keep a flow from going live (default true). */
  rejectLintErrors?: boolean;
  watcher?: DirectoryWatcher;
  log?: Logger;
}

/**
 * The live flows of a folder, by name and by number, kept in step with the files.
 *
 * Versioning is by object: `resolve` returns the FlowDocument serving now, and a call keeps that object for its
 * whole life. A reload replaces the registry's entry with a new object, so new calls get the new version while
 * calls in progress finish on the one they started with; nothing is patched in place (documents are frozen).
 * An invalid new version is refused and the old one keeps serving; a deleted file's flow stops taking calls.
 */
export class FlowRegistry {
  readonly dir: string;
  private readonly clock: Clock;
  private readonly debounceMs: number;
  private readonly rejectLintErrors: boolean;
  private readonly watcher: DirectoryWatcher;
  private readonly log: Logger;
  private readonly serving = new Map<string, FlowDocument>();
  private readonly refused = new Map<string, FlowDiagnostic[]>();
  private readonly warnings = new Map<string, FlowDiagnostic[]>();
  private byName = new Map<string, FlowDocument>();
  private byNumber = new Map<string, FlowDocument>();
  private readonly pending = new Map<string, TimerHandle>();
  private readonly listeners = new Set<(e: FlowRegistryEvent) => void>();
  private watching?: { close(): void };

  constructor(options: FlowRegistryOptions) {
    this.dir = resolve(options.dir);
    this.clock = options.clock ?? new SystemClock();
    this.debounceMs = options.debounceMs ?? 150;
    this.rejectLintErrors = options.rejectLintErrors ?? true;
    this.watcher = options.watcher ?? fsDirectoryWatcher;
    this.log = options.log ?? logger('flow.registry');
  }

  /**
   * Loads every flow file of the folder, in name order (so when two files claim a name or a number, the first
   * keeps it). Returns every diagnostic: the errors of refused files and the warnings of live ones.
   */
  load(): FlowDiagnostic[] {
    const files = this.listFiles();
    for (const file of files) this.consider(file, false);
    for (const file of files) if (this.serving.has(file)) this.relint(file);
    return this.diagnostics();
  }

  /** Starts watching the folder; changes are applied `debounceMs` after a file goes quiet. */
  watch(): void {
    if (this.watching) return;
    try {
      this.watching = this.watcher(this.dir, (name) => this.changed(name));
    } catch (e) {
      this.log.error({ dir: this.dir, err: (e as Error).message }, 'cannot watch the flows folder; changes will not be seen');
    }
  }

  close(): void {
    this.watching?.close();
    this.watching = undefined;
    for (const t of this.pending.values()) t.cancel();
    this.pending.clear();
  }

  /** The live flow for a called SIP user / dialled number. */
  resolve(calledUser: string): FlowDocument | undefined {
    return this.byNumber.get(calledUser);
  }

  /** The live flow with this name (subflows are found this way). */
  get(name: string): FlowDocument | undefined {
    return this.byName.get(name);
  }

  /** Live flows by name; a snapshot. */
  flows(): ReadonlyMap<string, FlowDocument> {
    return new Map(this.byName);
  }

  /** Errors of refused files and warnings of live ones, sorted. */
  diagnostics(): FlowDiagnostic[] {
    return [...this.refused.values(), ...this.warnings.values()].flat().sort(compareDiagnostics);
  }

  onChange(listener: (e: FlowRegistryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads one file now (what the watcher does after the debounce): loads, replaces, refuses or unloads. */
  reload(file: string): void {
    const abs = resolve(this.dir, file);
    if (isFlowFile(abs) && exists(abs)) this.consider(abs, true);
    else this.unload(abs);
  }

  private changed(name: string | null): void {
    const targets = name === null ? this.rescanTargets() : [resolve(this.dir, name)];
    for (const file of targets) {
      if (!isFlowFile(file)) continue;
      this.pending.get(file)?.cancel();
      this.pending.set(file, this.clock.setTimer(this.debounceMs, () => {
        this.pending.delete(file);
        this.reload(file);
        this.retryRefused(file);
      }));
    }
  }

  /** Every file that is or was known, plus every file now present: what to look at when the watcher cannot say. */
  private rescanTargets(): string[] {
    return [...new Set([...this.listFiles(), ...this.serving.keys(), ...this.refused.keys()])];
  }

  /** A file refused because of another one (a name or number clash, a missing subflow) may now be fine. */
  private retryRefused(changed: string): void {
    for (const [file, errors] of [...this.refused]) {
      if (file !== changed && exists(file) && errors.some((d) => BECAUSE_OF_OTHERS.has(d.code))) this.consider(file, true);
    }
  }

  private listFiles(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      this.log.error({ dir: this.dir, err: (e as Error).message }, 'cannot read the flows folder');
      return [];
    }
    return names.map((n) => join(this.dir, n)).filter((f) => isFlowFile(f) && exists(f)).sort();
  }

  private consider(file: string, announce: boolean): void {
    const shown = relative(process.cwd(), file) || file;
    const result = loadFlowFile(file);
    const previous = this.serving.get(file);
    if (!result.ok) return this.refuse(file, result.errors, previous, announce);
    const flow = result.flow;
    // Editors and rescans report files that did not change; the same text is the same version.
    if (previous && previous.revision === flow.revision && !this.refused.has(file)) return;
    const clashes = this.clashes(flow, file, shown);
    if (clashes.length > 0) return this.refuse(file, clashes, previous, announce);
    const lint = announce ? lintFlow(flow, { flows: this.lookupWith(flow) }) : [];
    const lintErrors = lint.filter((d) => d.severity === 'error');
    if (this.rejectLintErrors && lintErrors.length > 0) return this.refuse(file, lint, previous, announce);
    this.serving.set(file, flow);
    this.refused.delete(file);
    const warnings = [...result.warnings, ...lint].map((d) => ({ ...d, file: shown }));
    this.warnings.set(file, warnings);
    this.reindex();
    if (announce) {
      this.log.info({ flow: flow.name, file: shown, revision: flow.revision, replaced: previous?.revision }, 'flow loaded');
      this.emit({ kind: 'loaded', file, flow, ...(previous ? { previous } : {}), warnings });
    }
  }

  /** Lints a flow accepted during `load` once every file is in, so subflows defined later are known. */
  private relint(file: string): void {
    const flow = this.serving.get(file) as FlowDocument;
    const shown = relative(process.cwd(), file) || file;
    const lint = lintFlow(flow, { flows: this.lookupWith(flow) }).map((d) => ({ ...d, file: shown }));
    if (this.rejectLintErrors && lint.some((d) => d.severity === 'error')) {
      this.serving.delete(file);
      this.warnings.delete(file);
      this.refused.set(file, lint);
      this.reindex();
      this.log.error({ file: shown, errors: lint.map(formatDiagnostic) }, 'flow refused');
      return;
    }
    this.warnings.set(file, lint);
  }

  private refuse(file: string, diagnostics: FlowDiagnostic[], serving: FlowDocument | undefined, announce: boolean): void {
    const shown = relative(process.cwd(), file) || file;
    const errors = diagnostics.map((d) => ({ ...d, file: shown }));
    this.refused.set(file, errors);
    this.log.error(
      { file: shown, errors: errors.map(formatDiagnostic), serving: serving?.revision },
      serving ? 'new flow version refused; the previous version keeps serving' : 'flow refused',
    );
    if (announce) this.emit({ kind: 'rejected', file, errors, ...(serving ? { serving } : {}) });
  }

  private unload(file: string): void {
    const flow = this.serving.get(file);
    this.refused.delete(file);
    this.warnings.delete(file);
    if (!flow) return;
    this.serving.delete(file);
    this.reindex();
    this.log.info({ flow: flow.name, file: relative(process.cwd(), file) || file }, 'flow unloaded');
    this.emit({ kind: 'unloaded', file, flow });
  }

  /** Names and numbers this flow would take from another live file. */
  private clashes(flow: FlowDocument, file: string, shown: string): FlowDiagnostic[] {
    const out: FlowDiagnostic[] = [];
    for (const [otherFile, other] of this.serving) {
      if (otherFile === file) continue;
      const otherShown = relative(process.cwd(), otherFile) || otherFile;
      if (other.name === flow.name) {
        const at = positionOf(flow, ['name']);
        out.push({ file: shown, ...at, code: 'SWB_FLOW_DUPLICATE_NAME', message: `flow name '${flow.name}' is already used by ${otherShown}`, severity: 'error' });
      }
      flow.numbers.forEach((n, i) => {
        if (!other.numbers.includes(n)) return;
        const at = positionOf(flow, ['numbers', i]);
        out.push({ file: shown, ...at, code: 'SWB_FLOW_DUPLICATE_NUMBER', message: `number '${n}' is claimed by both ${shown} and ${otherShown}`, severity: 'error' });
      });
    }
    return out;
  }

  /** The live flows as the linter's lookup, with `flow` in place of its own file's current version. */
  private lookupWith(flow: FlowDocument): (name: string) => FlowDocument | undefined {
    return (name) => (name === flow.name ? flow : this.byName.get(name));
  }

  private reindex(): void {
    const byName = new Map<string, FlowDocument>();
    const byNumber = new Map<string, FlowDocument>();
    for (const flow of this.serving.values()) {
      byName.set(flow.name, flow);
      for (const n of flow.numbers) byNumber.set(n, flow);
    }
    this.byName = byName;
    this.byNumber = byNumber;
  }

  private emit(e: FlowRegistryEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'flow registry listener failed');
      }
    }
  }
}

function isFlowFile(file: string): boolean {
  return FLOW_FILE_EXTENSIONS.includes(extname(file).toLowerCase());
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
