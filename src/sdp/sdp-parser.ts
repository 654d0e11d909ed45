import { SwitchboardError } from '../common/index.js';
import type {
  MediaDescription, SdpAttribute, SdpBandwidth, SdpConnection, SdpOrigin, SdpTiming, SessionDescription,
} from './session-description.js';

/**
 * Parses an SDP body (RFC 8866 §5). Strict where a mistake would misroute media (v=, o=, c=, m=, b=, t=),
 * lenient elsewhere: unknown lines are kept verbatim, bare LF line ends and blank lines are accepted.
 * Throws SwitchboardError SWB_ERR_SDP_PARSE whose message names the offending line.
 */
export function parseSdp(input: string | Buffer): SessionDescription {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const lines = text.split(/\r?\n/);
  let version: number | undefined;
  let origin: SdpOrigin | undefined;
  let sessionName: string | undefined;
  const sd: Omit<SessionDescription, 'version' | 'origin' | 'sessionName'> = {
    bandwidth: [], timing: [], attributes: [], otherLines: [], media: [],
  };
  let media: MediaDescription | undefined;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const at = new LineRef(i + 1, raw);
    const m = /^([a-zA-Z])=(.*)$/s.exec(raw);
    if (!m) throw at.fail('expected <type>=<value>');
    const type = m[1];
    // s= and i= are free text where "s= " is the RFC 8866 §5.3 recommended empty name: keep their spaces.
    const value = type === 's' || type === 'i' ? m[2] : m[2].trimEnd();

    // RFC 8866 §5: "An SDP description ... MUST begin with v=".
    if (version === undefined && type !== 'v') throw at.fail('an SDP body must begin with v=');
    switch (type) {
      case 'v':
        if (version !== undefined) throw at.fail('duplicate v= line');
        if (value.trim() !== '0') throw at.fail('unsupported SDP version (RFC 8866 §5.1 defines v=0)');
        version = 0;
        continue;
      case 'o':
        if (origin !== undefined || media !== undefined) throw at.fail('o= must appear once, at session level');
        origin = parseOrigin(at, value);
        continue;
      case 's':
        if (sessionName !== undefined || media !== undefined) throw at.fail('s= must appear once, at session level');
        sessionName = value;
        continue;
      case 'm':
        media = parseMediaLine(at, value);
        sd.media.push(media);
        continue;
    }

    const section = media ?? sd;
    switch (type) {
      case 'c': {
        const c = parseConnection(at, value);
        if (section.connection === undefined) section.connection = c;
        else section.otherLines.push({ type, value });
        break;
      }
      case 'b':
        section.bandwidth.push(parseBandwidth(at, value));
        break;
      case 'a':
        section.attributes.push(parseAttribute(value));
        break;
      case 't':
        if (media !== undefined) section.otherLines.push({ type, value });
        else sd.timing.push(parseTiming(at, value));
        break;
      case 'r': {
        const last = sd.timing[sd.timing.length - 1];
        if (media !== undefined) section.otherLines.push({ type, value });
        else if (last === undefined) throw at.fail('r= must follow a t= line (RFC 8866 §5.10)');
        else last.repeat.push(value);
        break;
      }
      default:
        section.otherLines.push({ type, value });
    }
  }

  if (version === undefined) throw new SwitchboardError('SWB_ERR_SDP_PARSE', 'SDP: empty body, missing v= line');
  if (origin === undefined) throw new SwitchboardError('SWB_ERR_SDP_PARSE', 'SDP: missing o= line (RFC 8866 §5.2)');
  if (sessionName === undefined) {
    throw new SwitchboardError('SWB_ERR_SDP_PARSE', 'SDP: missing s= line (RFC 8866 §5.3)');
  }
  return { version, origin, sessionName, ...sd };
}

class LineRef {
  constructor(readonly lineNo: number, readonly text: string) {}
  fail(why: string): SwitchboardError {
    const shown = this.text.length > 80 ? `${this.text.slice(0, 77)}...` : this.text;
    return new SwitchboardError('SWB_ERR_SDP_PARSE', `SDP line ${this.lineNo} "${shown}": ${why}`);
  }
}

function fields(value: string): string[] {
  const t = value.trim();
  return t === '' ? [] : t.split(/ +/);
}

function parseOrigin(at: LineRef, value: string): SdpOrigin {
  const f = fields(value);
  if (f.length !== 6) throw at.fail('o= needs 6 fields: username sess-id sess-version nettype addrtype address');
  const [username, sessId, sessVersion, netType, addrType, address] = f;
  return { username, sessId, sessVersion, netType, addrType, address };
}

function parseConnection(at: LineRef, value: string): SdpConnection {
  const f = fields(value);
  if (f.length !== 3) throw at.fail('c= needs 3 fields: nettype addrtype connection-address');
  return { netType: f[0], addrType: f[1], address: f[2] };
}

function parseBandwidth(at: LineRef, value: string): SdpBandwidth {
  const m = /^([^:\s]+):(\d+)$/.exec(value.trim());
  if (!m) throw at.fail('b= must be <bwtype>:<bandwidth>');
  return { type: m[1], value: Number(m[2]) };
}

function parseTiming(at: LineRef, value: string): SdpTiming {
  const m = /^(\d+) +(\d+)$/.exec(value.trim());
  if (!m) throw at.fail('t= must be <start-time> <stop-time>');
  return { start: Number(m[1]), stop: Number(m[2]), repeat: [] };
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  if (colon < 0) return { name: value.trim() };
  return { name: value.slice(0, colon).trim(), value: value.slice(colon + 1) };
}

function parseMediaLine(at: LineRef, value: string): MediaDescription {
  const f = fields(value);
  if (f.length < 3) throw at.fail('m= needs <media> <port> <proto> <fmt> ...');
  const p = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(f[1]);
  if (!p) throw at.fail(`m= port "${f[1]}" is not a number`);
  const port = Number(p[1]);
  if (port > 65535) throw at.fail(`m= port ${port} is out of range 0-65535`);
  const media: MediaDescription = {
    media: f[0],
    port,
    proto: f[2],
    formats: f.slice(3),
    bandwidth: [],
    attributes: [],
    otherLines: [],
  };
  if (p[2] !== undefined) {
    const n = Number(p[2]);
    if (n < 1) throw at.fail('m= number of ports must be at least 1');
    media.numberOfPorts = n;
  }
  return media;
}
