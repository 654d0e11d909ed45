import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseMemUdp, parseMpstatBusy, parsePidstatCpu, parsePidstatWait, parseSippStat, parseUdpTxt, steadyServerSamples, steadySippSamples,
} from './level-files.js';

const STAT_HEADER = 'StartTime;TotalCallCreated;CurrentCall;SuccessfulCall(C);FailedCall(C);FailedUnexpectedMessage(C);'
  + 'FailedTimeoutOnRecv(C);Retransmissions(C);CallLength(C);';

test('SIPp stat: the last row holds the totals, non-zero Failed*(C) become reasons, CurrentCall is maxed over rows', () => {
  const text = [
    STAT_HEADER,
    't;10;9;0;0;0;0;0;00:00:00:000000;',
    't;60;52;8;0;0;0;1;00:00:06:150000;',
    't;100;0;97;3;2;1;4;00:00:06:161000;',
    '',
  ].join('\n');
  const s = parseSippStat(text);
  assert.equal(s.created, 100);
  assert.equal(s.successful, 97);
  assert.equal(s.failed, 3);
  assert.deepEqual(s.failureReasons, { UnexpectedMessage: 2, TimeoutOnRecv: 1 });
  assert.equal(s.retransmissions, 4);
  assert.equal(s.maxConcurrent, 52);
  assert.equal(s.meanCallLength, '00:00:06:161000');
});

test('SIPp stat without data rows is an error, not zeros', () => {
  assert.throws(() => parseSippStat(`${STAT_HEADER}\n`), /no data rows/);
});

test('pidstat: %CPU column of each sample line, headers skipped', () => {
  const text = [
    'Linux 6.18.44 (vm) \t11/22/26 \t_x86_64_\t(2 CPU)',
    '',
    '# Time        UID       PID    %usr %system  %guest   %wait    %CPU   CPU  Command',
    '00:30:58        0      2759    1.00    0.00    0.00    1.00    1.00     1  node',
    '00:30:59        0      2759   40.00   12.50    0.00    0.00   52.50     0  node',
  ].join('\n');
  assert.deepEqual(parsePidstatCpu(text), [1, 52.5]);
  assert.deepEqual(parsePidstatWait(text), [1, 0]);
});

test('steady windows match analyze.py: server samples 10..S, SIPp 9..S−1', () => {
  const xs = Array.from({ length: 40 }, (_, i) => i);
  assert.deepEqual(steadyServerSamples(xs, 12), [10, 11, 12]);
  assert.deepEqual(steadySippSamples(xs, 12), [9, 10, 11]);
});

test('RSS/UDP monitor lines and udp.txt start/end counters', () => {
  const mem = parseMemUdp('1795307457 206116  12 0 0 0 0\n1795307458 206268 12 12 0 0 0\nbroken line\n');
  assert.equal(mem.length, 2);
  assert.deepEqual(mem[1], { epochSec: 1795307458, rssKb: 206268, threads: 12, inDatagrams: 12, noPorts: 0, inErrors: 0, rcvbufErrors: 0 });
  const udp = parseUdpTxt('start 1795307457.824457370 0 0 0 0\nend 1795307467.501925841 2825 2488 52 52\n');
  assert.deepEqual(udp?.end, { inDatagrams: 2825, noPorts: 2488, inErrors: 52, rcvbufErrors: 52 });
  assert.equal(parseUdpTxt('start 1 0 0 0 0\n'), undefined);
});

test('mpstat: busy = 100 − %idle per CPU over samples 10..S', () => {
  const lines: string[] = ['Linux 6.18 (vm)', ''];
  for (let s = 0; s < 14; s++) {
    lines.push('00:00:00     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  %gnice   %idle');
    lines.push(`00:00:00     all    1 0 1 0 0 0 0 0 0 ${s < 10 ? 99 : 50}`);
    lines.push(`00:00:00       0    1 0 1 0 0 0 0 0 0 ${s < 10 ? 98 : 40}`);
    lines.push(`00:00:00       1    1 0 1 0 0 0 0 0 0 ${s < 10 ? 97 : 60}`);
  }
  lines.push('Average:       0    1 0 1 0 0 0 0 0 0 0');
  assert.deepEqual(parseMpstatBusy(lines.join('\n'), 12), { cpu0: 60, cpu1: 40 });
});
