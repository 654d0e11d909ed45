import { readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, loadFlowFile, type FlowDocument } from '../../flow/schema/index.js';
import { simulateFlow, splitInputs } from '../../flow/simulate/index.js';

export const SIMULATE_USAGE = `usage: switchboard simulate <flow.yaml> [--from CALLER] [--to NUMBER] [--input "1,1234#,timeout"]
                           [--at 2026-11-21T10:00:00Z] [--flows DIR] [--no-speech]

Plays a call through a flow without SIP or audio and prints what the caller hears and does.
  --input   one token per key collection: keys ("1", "1234#"), "timeout" (no key) or "hangup";
            at a transfer "answer" (default), "busy", "no-answer" or "fail"; at a recording
            "message" (default), "silence" or "message-then-hangup"; where the flow listens for speech
            "say:billing please" (the words said), "say:billing@0.4" (heard with confidence 0.4),
            "silence" (nothing said) or "noise" (not understood); when they run out the caller hangs up
  --no-speech  as on a server without speech recognition: speech inputs ask with keys
  --at      the time the call starts (drives now, hour(), open()); default now
  --flows   where subflows are found (default: the flow file's folder)
Exit status: 0 when the call ended normally, 1 when the flow failed or does not load, 2 on bad usage.`;

/** Valid flows in `dir` other than `except`, for subflows; files that do not load are skipped here. */
function siblingFlows(dir: string, except: string): FlowDocument[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const flows: FlowDocument[] = [];
  for (const f of files.filter((name) => /\.(ya?ml|json)$/.test(name)).map((name) => resolve(dir, name))) {
    if (f === except) continue;
    const r = loadFlowFile(f);
    if (r.ok) flows.push(r.flow);
  }
  return flows;
}

export async function simulateCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' }, to: { type: 'string' }, input: { type: 'string', multiple: true },
        at: { type: 'string' }, flows: { type: 'string' }, 'no-speech': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    console.log(SIMULATE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(SIMULATE_USAGE);
    return 2;
  }
  const startTime = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(startTime.getTime())) {
    console.error(`--at ${JSON.stringify(values.at)} is not a time (use ISO 8601, e.g. 2026-11-21T10:00:00Z)`);
    return 2;
  }
  const file = resolve(positionals[0]);
  const loaded = loadFlowFile(file);
  if (!loaded.ok) {
    for (const d of loaded.errors) console.error(formatDiagnostic(d));
    return 1;
  }
  const flow = loaded.flow;
  const inputs = (values.input ?? []).flatMap(splitInputs);
  let transcript;
  try {
    transcript = await simulateFlow(flow, {
      inputs,
      startTime,
      from: values.from,
      to: values.to,
      flows: siblingFlows(values.flows ?? dirname(file), file),
      ...(values['no-speech'] ? { speech: 'unavailable' as const } : {}),
    });
  } catch (e) {
    console.error(`simulate: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  console.log(`# ${basename(file)} (flow ${flow.name}, revision ${flow.revision}) at ${startTime.toISOString()}`);
  console.log(`# inputs: ${inputs.join(',')}`);
  process.stdout.write(transcript.text);
  return transcript.result.disposition === 'error' ? 1 : 0;
}
