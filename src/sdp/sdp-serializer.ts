import type {
  MediaDescription, SdpAttribute, SdpBandwidth, SdpConnection, SdpLine, SessionDescription,
} from './session-description.js';

/**
 * Line order of RFC 8866 §5: session `v o s i u e p c b (t r*)+ z k a*`, media `m i c* b* k a*`.
 * Lines of letters the RFC does not define go last in their section.
 */
const SESSION_RANK: Readonly<Record<string, number>> = {
  i: 1, u: 2, e: 3, p: 4, c: 5, b: 6, t: 7, r: 7, z: 8, k: 9, a: 10,
};
const MEDIA_RANK: Readonly<Record<string, number>> = { i: 1, c: 2, b: 3, k: 4, a: 5 };
const UNKNOWN_RANK = 99;

/** Serializes a session description with CRLF line ends (RFC 8866 §5), ending in CRLF. */
export function serializeSdp(sd: SessionDescription): string {
  const o = sd.origin;
  const out = [
    `v=${sd.version}`,
    `o=${o.username} ${o.sessId} ${o.sessVersion} ${o.netType} ${o.addrType} ${o.address}`,
    `s=${sd.sessionName}`,
  ];
  const typed: SdpLine[] = [];
  if (sd.connection) typed.push(connectionLine(sd.connection));
  typed.push(...sd.bandwidth.map(bandwidthLine));
  for (const t of sd.timing) {
    typed.push({ type: 't', value: `${t.start} ${t.stop}` });
    for (const r of t.repeat) typed.push({ type: 'r', value: r });
  }
  typed.push(...sd.attributes.map(attributeLine));
  out.push(...ordered([...typed, ...sd.otherLines], SESSION_RANK));
  for (const m of sd.media) out.push(...mediaLines(m));
  return `${out.join('\r\n')}\r\n`;
}

function mediaLines(m: MediaDescription): string[] {
  const port = m.numberOfPorts === undefined ? `${m.port}` : `${m.port}/${m.numberOfPorts}`;
  const head = [m.media, port, m.proto, ...m.formats].join(' ');
  const typed: SdpLine[] = [];
  if (m.connection) typed.push(connectionLine(m.connection));
  typed.push(...m.bandwidth.map(bandwidthLine));
  typed.push(...m.attributes.map(attributeLine));
  return [`m=${head}`, ...ordered([...typed, ...m.otherLines], MEDIA_RANK)];
}

/**
 * Stable sort by rank: a typed line stays ahead of extra lines of the same letter, each r= stays after its t=,
 * and input order holds otherwise.
 */
function ordered(lines: SdpLine[], rank: Readonly<Record<string, number>>): string[] {
  return lines
    .map((line, seq) => ({ line, seq, rank: rank[line.type] ?? UNKNOWN_RANK }))
    .sort((a, b) => a.rank - b.rank || a.seq - b.seq)
    .map(({ line }) => `${line.type}=${line.value}`);
}

function connectionLine(c: SdpConnection): SdpLine {
  return { type: 'c', value: `${c.netType} ${c.addrType} ${c.address}` };
}

function bandwidthLine(b: SdpBandwidth): SdpLine {
  return { type: 'b', value: `${b.type}:${b.value}` };
}

function attributeLine(a: SdpAttribute): SdpLine {
  return { type: 'a', value: a.value === undefined ? a.name : `${a.name}:${a.value}` };
}
