import { SwitchboardError } from '../../common/index.js';
import type { SimulationTranscript } from './simulate-flow.js';

/**
 * A simulator golden file (test/fixtures/flows/golden/<flow>/<case>.txt): a header saying what the caller does,
 * then the transcript the simulator must produce, byte for byte.
 *
 *   # about: 2 then digits: the digits are read back
 *   # inputs: 2,1234#,0
 *   # at: 2026-11-21T10:42:00Z
 *   # from: 5551234            (optional)
 *   # to: demo                 (optional)
 *   # lookups: {"crm": {"name": "Ada"}}   (optional: scripted HTTP answers by lookup node, as SimulateOptions.lookups)
 *   # storage: fails           (optional: every storage write fails)
 *   # speech: unavailable      (optional: the server has no speech recognizer)
 */
export interface GoldenCase {
  about?: string;
  inputs: string[];
  at: Date;
  from?: string;
  to?: string;
  lookups?: Record<string, unknown>;
  storageFails?: boolean;
  speechUnavailable?: boolean;
}

const KEYS = ['about', 'inputs', 'at', 'from', 'to', 'lookups', 'storage', 'speech'] as const;

function bad(name: string, why: string): never {
  throw new SwitchboardError('SWB_ERR_FLOW_SIMULATION', `Golden case ${name}: ${why}`);
}

/** Reads the header of a golden file; the transcript below it is what the test compares. */
export function parseGoldenCase(text: string, name: string): GoldenCase {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*([a-z]+):\s?(.*)$/.exec(line) ?? bad(name, `header line ${JSON.stringify(line)} is not "# key: value"`);
    if (!(KEYS as readonly string[]).includes(m[1])) bad(name, `unknown header "${m[1]}" (known: ${KEYS.join(', ')})`);
    fields[m[1]] = m[2].trim();
  }
  if (fields.inputs === undefined) bad(name, 'needs "# inputs: …" (comma-separated; may be empty)');
  if (fields.at === undefined) bad(name, 'needs "# at: <ISO time>" so the transcript does not depend on today');
  const at = new Date(fields.at);
  if (Number.isNaN(at.getTime())) bad(name, `"# at: ${fields.at}" is not a time`);
  const c: GoldenCase = { inputs: splitInputs(fields.inputs), at };
  if (fields.about) c.about = fields.about;
  if (fields.from) c.from = fields.from;
  if (fields.to) c.to = fields.to;
  if (fields.lookups) {
    let lookups: unknown;
    try {
      lookups = JSON.parse(fields.lookups);
    } catch {
      bad(name, '"# lookups:" is not JSON');
    }
    if (typeof lookups !== 'object' || lookups === null || Array.isArray(lookups)) bad(name, '"# lookups:" must be a JSON object');
    c.lookups = lookups as Record<string, unknown>;
  }
  if (fields.storage !== undefined) {
    if (fields.storage !== 'fails') bad(name, '"# storage:" can only be "fails"');
    c.storageFails = true;
  }
  if (fields.speech !== undefined) {
    if (fields.speech !== 'unavailable') bad(name, '"# speech:" can only be "unavailable"');
    c.speechUnavailable = true;
  }
  return c;
}

/** "1, 1234#,timeout" → ["1", "1234#", "timeout"]. */
export function splitInputs(text: string): string[] {
  return text.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

/** The whole golden file for a case and its transcript. */
export function renderGoldenCase(c: GoldenCase, transcript: SimulationTranscript): string {
  const header = [
    c.about ? `# about: ${c.about}` : undefined,
    `# inputs:${c.inputs.length > 0 ? ` ${c.inputs.join(',')}` : ''}`,
    `# at: ${c.at.toISOString()}`,
    c.from ? `# from: ${c.from}` : undefined,
    c.to ? `# to: ${c.to}` : undefined,
    c.lookups ? `# lookups: ${JSON.stringify(c.lookups)}` : undefined,
    c.storageFails ? '# storage: fails' : undefined,
    c.speechUnavailable ? '# speech: unavailable' : undefined,
  ].filter((l) => l !== undefined);
  return `${header.join('\n')}\n${transcript.text}`;
}
