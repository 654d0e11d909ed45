/**
 * In-band DTMF battery: runs the synthetic Q.24 conditions and the espeak-ng talk-off corpus against
 * InbandDtmfDetector, prints a table and writes bench/results/dtmf.json.
 *
 *   node dist/bench/dtmf/run-dtmf-battery.js [--no-talk-off] [--out <file>]
 *
 * Exits 1 when any condition misses its expectation (a false reject or a false alarm), so it can gate CI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSyntheticBattery, type ConditionResult } from './dtmf-battery.js';
import { runTalkOff, type TalkOffResult } from './talk-off.js';

function repoRoot(): string {
  // This file runs from <root>/dist*/bench/dtmf/.
  return fileURLToPath(new URL('../../../', import.meta.url));
}

function printTable(results: ConditionResult[]): void {
  const header = ['group', 'condition', 'expect', 'trials', 'detected', 'wrong', 'rate'];
  const rows = results.map((r) => [
    r.group, r.name, r.expect, String(r.trials),
    String(r.expect === 'detect' ? r.correct : r.anyDetection), String(r.wrong), `${(r.rate * 100).toFixed(1)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function main(): number {
  const args = process.argv.slice(2);
  const outArg = args.indexOf('--out');
  const out = outArg >= 0 ? resolve(args[outArg + 1]) : resolve(repoRoot(), 'bench/results/dtmf.json');
  const started = Date.now();

  const conditions = runSyntheticBattery();
  printTable(conditions);
  const shouldDetect = conditions.filter((c) => c.expect === 'detect');
  const shouldReject = conditions.filter((c) => c.expect === 'reject');
  const falseRejects = shouldDetect.reduce((n, c) => n + c.trials - c.correct, 0);
  const falseAlarmsSynthetic = shouldReject.reduce((n, c) => n + c.anyDetection, 0);
  const wrongDigits = shouldDetect.reduce((n, c) => n + c.wrong, 0);

  let talkOff: TalkOffResult | undefined;
  if (!args.includes('--no-talk-off')) {
    talkOff = runTalkOff();
    console.log(`\ntalk-off: ${talkOff.speechMinutes.toFixed(1)} min of speech (${talkOff.voices.length} voices, `
      + `${talkOff.utterances} utterances) at ${talkOff.levelsDbm0.join(' and ')} dBm0 = ${talkOff.testedMinutes.toFixed(1)} min `
      + `tested, ${talkOff.falseAlarms} false alarm(s)`);
    for (const a of talkOff.alarms) console.log(`  ${a.voice} @ ${a.levelDbm0} dBm0: "${a.digit}" ${a.durationMs.toFixed(0)} ms`);
  }

  const summary = {
    trialsExpectDetect: shouldDetect.reduce((n, c) => n + c.trials, 0),
    falseRejects,
    wrongDigits,
    trialsExpectReject: shouldReject.reduce((n, c) => n + c.trials, 0),
    falseAlarmsSynthetic,
    falseAlarmsSpeech: talkOff?.falseAlarms ?? null,
    speechMinutes: talkOff ? Number(talkOff.speechMinutes.toFixed(2)) : null,
    speechMinutesTested: talkOff ? Number(talkOff.testedMinutes.toFixed(2)) : null,
    runSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  console.log(`\nfalse rejects ${falseRejects}/${summary.trialsExpectDetect} (wrong digit strings ${wrongDigits}), `
    + `false alarms ${falseAlarmsSynthetic}/${summary.trialsExpectReject} synthetic + ${talkOff?.falseAlarms ?? 'n/a'} in speech`);

  const report = {
    generatedAt: new Date().toISOString(),
    detector: 'InbandDtmfDetector (src/media/dtmf/inband-dtmf-detector.ts), default options',
    channel: 'G.711 µ-law encode → decode, 20 ms frames unless stated',
    summary,
    conditions: conditions.map((c) => ({ ...c, rate: Number(c.rate.toFixed(4)) })),
    talkOff: talkOff ?? null,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out}`);
  return falseRejects + falseAlarmsSynthetic + (talkOff?.falseAlarms ?? 0) > 0 ? 1 : 0;
}

process.exitCode = main();
