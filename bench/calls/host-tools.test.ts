import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketDropSampler } from './host-tools.js';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

function row(local: string, inode: number, drops: number): string {
  return `16147: ${local} 00000000:0000 07 00000000:00034000 00:00000000 00000000     0        0 ${inode} 2 00000000413e20cf ${drops}`;
}

test('drops are summed over the sockets of one address, each at its highest reading', () => {
  const s = new SocketDropSampler('127.0.0.2');
  s.sample([HEADER, row('0200007F:4E20', 98061, 8), row('0100007F:13C4', 5, 1000), row('0200007F:4E22', 98062, 0)].join('\n'));
  s.sample([HEADER, row('0200007F:4E20', 98061, 52), row('0200007F:4E22', 98062, 3)].join('\n'));
  s.sample([HEADER, row('0200007F:4E22', 98062, 3)].join('\n'));
  assert.equal(s.total, 55);
});
