import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipFailureError } from '../../common/index.js';
import { parseSipMessage, type SipRequest, type SipResponse } from '../message/index.js';
import { DialogState } from './dialog-state.js';
import { resolveRequestTarget } from './route-set.js';
import { SipDialog, type DialogHost } from './sip-dialog.js';

function msg<T>(lines: string[]): T {
  return parseSipMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`)) as T;
}

const INVITE = msg<SipRequest>([
  'INVITE sip:bob@192.0.2.20 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKaaa',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@example.com>;tag=alicetag',
  'To: <sip:bob@example.com>',
  'Call-ID: call-1@192.0.2.10',
  'CSeq: 314 INVITE',
  'Contact: <sip:alice@192.0.2.10:5060>',
  'Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'Content-Length: 0',
]);

function response(status: number, extra: string[] = []): SipResponse {
  return msg<SipResponse>([
    `SIP/2.0 ${status} X`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKaaa',
    'From: "Alice" <sip:alice@example.com>;tag=alicetag',
    'To: <sip:bob@example.com>;tag=bobtag',
    'Call-ID: call-1@192.0.2.10',
    'CSeq: 314 INVITE',
    ...extra,
    'Content-Length: 0',
  ]);
}

class RecordingHost implements DialogHost {
  sent: SipRequest[] = [];
  acks: SipRequest[] = [];
  ended: string[] = [];
  next: (req: SipRequest) => Promise<SipResponse> = (req) => Promise.resolve(answer(req, 200));
  sendRequest(_d: SipDialog, request: SipRequest): Promise<SipResponse> {
    this.sent.push(request);
    return this.next(request);
  }
  sendAck(_d: SipDialog, ack: SipRequest): void {
    this.acks.push(ack);
  }
  dialogTerminated(_d: SipDialog, reason: string): void {
    this.ended.push(reason);
  }
}

function answer(req: SipRequest, status: number, extra: string[] = []): SipResponse {
  return msg<SipResponse>([
    `SIP/2.0 ${status} X`,
    'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKbbb',
    `From: ${req.headers.get('From')}`,
    `To: ${req.headers.get('To')}`,
    `CSeq: ${req.headers.get('CSeq')}`,
    `Call-ID: ${req.headers.get('Call-ID')}`,
    ...extra,
    'Content-Length: 0',
  ]);
}

function uasDialog(host: DialogHost): SipDialog {
  return SipDialog.createUas(host, INVITE, 'bobtag', { localContact: 'sip:bob@192.0.2.20:5060', confirmed: true });
}

test('UAC dialog (§12.1.2): route set reversed, remote target from Contact, Early on 1xx', () => {
  const host = new RecordingHost();
  const d = SipDialog.createUac(host, INVITE, response(180, [
    'Record-Route: <sip:p2.example.com;lr>', 'Record-Route: <sip:p1.example.com;lr>',
    'Contact: <sip:bob@192.0.2.20:5070>',
  ]), { localContact: 'sip:alice@192.0.2.10:5060' });
  assert.equal(d.state, DialogState.Early);
  assert.deepEqual(d.id, { callId: 'call-1@192.0.2.10', localTag: 'alicetag', remoteTag: 'bobtag' });
  assert.deepEqual(d.routeSet, ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(d.remoteTarget, 'sip:bob@192.0.2.20:5070');
  assert.equal(d.localSeq, 314);
  assert.equal(d.remoteSeq, undefined);
  assert.equal(d.local.displayName, 'Alice');
  // §13.2.2.4: the 2xx recomputes the route set and confirms the dialog.
  d.confirm(response(200, ['Record-Route: <sip:p9.example.com;lr>', 'Contact: <sip:bob@192.0.2.21>']));
  assert.equal(d.state, DialogState.Confirmed);
  assert.deepEqual(d.routeSet, ['<sip:p9.example.com;lr>']);
  assert.equal(d.remoteTarget, 'sip:bob@192.0.2.21');
});

test('UAS dialog (§12.1.1): route set in order, remote seq from the INVITE, local seq chosen on first request', () => {
  const d = uasDialog(new RecordingHost());
  assert.deepEqual(d.id, { callId: 'call-1@192.0.2.10', localTag: 'bobtag', remoteTag: 'alicetag' });
  assert.deepEqual(d.routeSet, ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(d.remoteSeq, 314);
  assert.equal(d.localSeq, undefined);
  const bye = d.createRequest('BYE');
  const first = Number(d.localSeq);
  assert.ok(first >= 1 && first < 2 ** 31);
  assert.equal(bye.headers.get('CSeq'), `${first} BYE`);
  assert.equal(d.createRequest('INFO').headers.get('CSeq'), `${first + 1} INFO`);
});

test('createRequest (§12.2.1.1) with loose routing: Request-URI is the remote target, Route is the route set', () => {
  const d = uasDialog(new RecordingHost());
  const req = d.createRequest('INVITE', { body: Buffer.from('v=0\r\n') });
  assert.equal(req.uri, 'sip:alice@192.0.2.10:5060');
  assert.deepEqual(req.headers.getAll('Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(req.headers.get('From'), '<sip:bob@example.com>;tag=bobtag');
  assert.equal(req.headers.get('To'), '"Alice" <sip:alice@example.com>;tag=alicetag');
  assert.equal(req.headers.get('Contact'), '<sip:bob@192.0.2.20:5060>');
  assert.equal(req.headers.get('Content-Type'), 'application/sdp');
  const ack = d.createRequest('ACK');
  assert.equal(ack.headers.get('CSeq'), `${d.localSeq} ACK`, 'ACK reuses the INVITE CSeq number (§13.2.2.4)');
  assert.equal(d.createRequest('INFO').headers.get('Contact'), undefined, 'INFO is no target refresh');
});

test('strict routing: first route becomes the Request-URI, the remote target goes last in Route', () => {
  const target = resolveRequestTarget('sip:alice@192.0.2.10', ['<sip:p1.example.com;method=INVITE?x=y>', '<sip:p2.example.com;lr>']);
  assert.equal(target.requestUri, 'sip:p1.example.com');
  assert.deepEqual(target.routes, ['<sip:p2.example.com;lr>', '<sip:alice@192.0.2.10>']);
  assert.deepEqual(resolveRequestTarget('sip:a@h', []), { requestUri: 'sip:a@h', routes: [] });
});

test('inbound CSeq (§12.2.2): lower is refused, higher is remembered, ACK is not checked', () => {
  const d = uasDialog(new RecordingHost());
  const req = (cseq: string): SipRequest => ({ ...INVITE, method: cseq.split(' ')[1], headers: INVITE.headers.clone().set('CSeq', cseq) });
  assert.equal(d.acceptRemoteCSeq(req('313 INFO')), false);
  assert.equal(d.remoteSeq, 314);
  assert.equal(d.acceptRemoteCSeq(req('315 INFO')), true);
  assert.equal(d.remoteSeq, 315);
  assert.equal(d.acceptRemoteCSeq(req('1 ACK')), true);
  assert.equal(d.remoteSeq, 315);
});

test('bye() ends the dialog at once, sends BYE and notifies once', async () => {
  const host = new RecordingHost();
  const d = uasDialog(host);
  const reasons: string[] = [];
  d.onTerminated = (r) => reasons.push(r);
  await d.bye();
  assert.equal(d.state, DialogState.Terminated);
  assert.equal(host.sent[0].method, 'BYE');
  assert.deepEqual(reasons, ['local-bye']);
  assert.deepEqual(host.ended, ['local-bye']);
  await d.bye();
  assert.equal(host.sent.length, 1, 'no second BYE');
  await assert.rejects(d.request('INFO'), /dialog has ended/);
});

test('request(): a 481 ends the dialog (§12.2.1.2); a 2xx to UPDATE refreshes the target', async () => {
  const host = new RecordingHost();
  const d = uasDialog(host);
  host.next = (r) => Promise.resolve(answer(r, 200, ['Contact: <sip:alice@192.0.2.99>']));
  await d.request('UPDATE');
  assert.equal(d.remoteTarget, 'sip:alice@192.0.2.99');
  host.next = (r) => Promise.resolve(answer(r, 481));
  const res = await d.request('INFO', { body: Buffer.from('Signal=5\r\n'), contentType: 'application/dtmf-relay' });
  assert.equal(res.status, 481);
  assert.equal(host.sent[1].headers.get('Content-Type'), 'application/dtmf-relay');
  assert.equal(d.state, DialogState.Terminated);
  assert.deepEqual(host.ended, ['request-failed']);
});

test('reinvite(): 2xx is ACKed with the re-INVITE CSeq; a non-2xx leaves the session; glare is refused locally', async () => {
  const host = new RecordingHost();
  const d = uasDialog(host);
  host.next = (r) => Promise.resolve(answer(r, 200, ['Contact: <sip:alice@192.0.2.50>']));
  const { response: res } = await d.reinvite(Buffer.from('v=0\r\n'));
  assert.equal(res.status, 200);
  const inviteSeq = host.sent[0].headers.get('CSeq')?.split(' ')[0];
  assert.equal(host.acks[0].headers.get('CSeq'), `${inviteSeq} ACK`);
  assert.equal(host.acks[0].uri, 'sip:alice@192.0.2.50');
  assert.equal(d.lastAck, host.acks[0]);
  assert.equal(d.clientInvitePending, false);

  host.next = (r) => Promise.resolve(answer(r, 488));
  await assert.rejects(d.reinvite(Buffer.from('v=0\r\n')), (e: unknown) => e instanceof SipFailureError && e.status === 488);
  assert.equal(d.state, DialogState.Confirmed);

  d.serverInvitePending = true;
  await assert.rejects(d.reinvite(Buffer.from('v=0\r\n')), (e: unknown) => e instanceof SipFailureError && e.status === 491);
  assert.equal(host.sent.length, 2, 'no INVITE sent while another is in progress (§14.1)');
});

test('reinvite() that times out sends BYE and ends the dialog (§14.1)', async () => {
  const host = new RecordingHost();
  const d = uasDialog(host);
  host.next = (r) => (r.method === 'INVITE' ? Promise.reject(new SipFailureError(408, 'Request Timeout')) : Promise.resolve(answer(r, 200)));
  await assert.rejects(d.reinvite(Buffer.from('v=0\r\n')), (e: unknown) => e instanceof SipFailureError && e.status === 408);
  assert.deepEqual(host.sent.map((r) => r.method), ['INVITE', 'BYE']);
  assert.equal(d.state, DialogState.Terminated);
});
