import { statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pino } from 'pino';
import { lintFlow } from '../../flow/lint/index.js';
import { FlowRegistry } from '../../flow/registry/index.js';
import { compareDiagnostics, formatDiagnostic, loadFlowFile, type FlowDiagnostic } from '../../flow/schema/index.js';

export const LINT_USAGE = `usage: switchboard lint <file|dir>...

Validates and lints call flows (YAML or JSON). A folder is checked as the server loads it: every *.yaml, *.yml
and *.json file, with names, numbers and subflows checked across files. Exit status: 0 when there are no errors
(warnings allowed), 1 when there are errors, 2 on bad usage.`;

export interface LintCommandIo {
  out(line: string): void;
}

const consoleIo: LintCommandIo = { out: (line) => console.log(line) };

/** A registry that reads the folder once, quietly, keeping flows with lint errors so others can use them as subflows. */
function readFolder(dir: string): FlowRegistry {
  const registry = new FlowRegistry({ dir, rejectLintErrors: false, log: pino({ enabled: false }) });
  registry.load();
  return registry;
}

function shown(file: string): string {
  return relative(process.cwd(), resolve(file)) || file;
}

function lintFile(file: string): FlowDiagnostic[] {
  const result = loadFlowFile(file);
  if (!result.ok) return result.errors;
  const siblings = readFolder(dirname(resolve(file)));
  const flows = new Map(siblings.flows());
  flows.set(result.flow.name, result.flow);
  return [...result.warnings, ...lintFlow(result.flow, { flows })];
}

/** `switchboard lint <file|dir>...`: prints diagnostics like a compiler, then "N errors, M warnings". */
export async function lintCommand(args: string[], io: LintCommandIo = consoleIo): Promise<number> {
  const targets = args.filter((a) => a !== '--');
  if (targets.length === 0 || targets.some((a) => a === '-h' || a === '--help')) {
    io.out(LINT_USAGE);
    return targets.length === 0 ? 2 : 0;
  }
  const found: FlowDiagnostic[] = [];
  for (const target of targets) {
    let isDir: boolean;
    try {
      isDir = statSync(target).isDirectory();
    } catch {
      found.push({ file: target, line: 1, column: 1, code: 'SWB_FLOW_FILE_UNREADABLE', message: 'no such file or folder', severity: 'error' });
      continue;
    }
    found.push(...(isDir ? readFolder(target).diagnostics() : lintFile(target)));
  }
  const seen = new Set<string>();
  const diagnostics = found
    .map((d) => ({ ...d, file: shown(d.file) }))
    .sort(compareDiagnostics)
    .filter((d) => {
      const line = formatDiagnostic(d);
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    });
  for (const d of diagnostics) io.out(formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  io.out(`${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  return errors > 0 ? 1 : 0;
}
