import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { BaresipCtrl, encodeNetstring, NetstringDecoder } from './baresip-ctrl.js';

test('netstrings: encode, decode across chunk boundaries, several per chunk, multi-byte lengths', () => {
  const a = encodeNetstring({ command: 'dial', params: 'sip:demo@127.0.0.1:5300', token: 't1' });
  assert.match(a.toString(), /^\d+:\{.*\},$/);
  const b = encodeNetstring({ text: 'é' });
  assert.equal(b.toString('latin1').split(':')[0], String(Buffer.byteLength('{"text":"é"}')));
  const d = new NetstringDecoder();
  const all = Buffer.concat([a, b]);
  assert.deepEqual(d.push(all.subarray(0, 5)), []);
  const got = d.push(all.subarray(5));
  assert.deepEqual(got, [{ command: 'dial', params: 'sip:demo@127.0.0.1:5300', token: 't1' }, { text: 'é' }]);
  assert.throws(() => new NetstringDecoder().push(Buffer.from('3:abc;')), /trailing comma/);
  assert.throws(() => new NetstringDecoder().push(Buffer.from('x:')), /bad length/);
});

test('BaresipCtrl: command/response by token, events before responses, waitEvent looks at the backlog', async () => {
  const received: unknown[] = [];
  let peer: Socket | undefined;
  const server = createServer((s) => {
    peer = s;
    const dec = new NetstringDecoder();
    s.on('data', (chunk: Buffer) => {
      for (const m of dec.push(chunk)) {
        received.push(m);
        const msg = m as { command: string; token: string };
        if (msg.command === 'hangup') {
          // baresip may push the event before it answers the command
          s.write(encodeNetstring({ event: true, class: 'call', type: 'CALL_CLOSED', param: 'bye' }));
        }
        s.write(encodeNetstring({ response: true, ok: msg.command !== 'bogus', data: `did ${msg.command}`, token: msg.token }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const ctrl = await BaresipCtrl.connect(port, '127.0.0.1', 2000);
  try {
    const r = await ctrl.dial('sip:demo@127.0.0.1:5300');
    assert.equal(r.data, 'did dial');
    peer!.write(encodeNetstring({ event: true, class: 'call', type: 'CALL_ESTABLISHED', param: 'x' }));
    assert.equal((await ctrl.waitEvent('CALL_ESTABLISHED', 2000)).param, 'x');
    await ctrl.hangup();
    assert.equal((await ctrl.waitEvent('CALL_CLOSED', 2000)).param, 'bye', 'event that came before the response is found');
    await assert.rejects(ctrl.waitEvent('CALL_CLOSED', 200), /timeout after 200 ms waiting for event CALL_CLOSED/, 'consumed once');
    await assert.rejects(ctrl.command('bogus'), /failed/);
    await ctrl.sndcode('0');
    assert.deepEqual(received.map((m) => (m as { command: string; params?: string }).params ?? (m as { command: string }).command),
      ['sip:demo@127.0.0.1:5300', 'hangup', 'bogus', '0']);
    assert.deepEqual(ctrl.events.map((e) => e.type), ['CALL_ESTABLISHED', 'CALL_CLOSED']);
  } finally {
    ctrl.close();
    server.close();
  }
});

test('BaresipCtrl.connect gives up with the address when nothing listens', async () => {
  await assert.rejects(BaresipCtrl.connect(1, '127.0.0.1', 300), /cannot connect to baresip ctrl_tcp at 127\.0\.0\.1:1/);
});
