import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Writes a headless baresip 1.0.x config dir (config + accounts): no sound card (ALSA "null" player), a WAV file
 * or a sine tone as microphone, every address on loopback, no registration, ctrl_tcp for scripted control and
 * sndfile recording both directions (dump-*-enc.wav sent, dump-*-dec.wav received) into `recDir`.
 */

export interface BaresipProfileOptions {
  /** SIP user of the account (default "peer"). */
  user?: string;
  /** SIP listen address, UDP and TCP; TLS takes port + 1 (default 127.0.0.1:5090). */
  sip?: string;
  /** ctrl_tcp listen address (default 127.0.0.1:4444). */
  ctrl?: string;
  /** Microphone = this 8 kHz mono 16-bit WAV; baresip hangs up when it ends, so pad it. */
  wav?: string;
  /** Microphone = a sine tone of this frequency when no WAV is given (default 440). */
  sineHz?: number;
  /** Where sndfile records (default DIR/rec). */
  recDir?: string;
  autoAnswer?: boolean;
  /** RTP port range "A-B" (default 31000-31099). */
  rtpPorts?: string;
  /** audio_codecs of the account (default "pcmu,pcma"). */
  codecs?: string;
}

export interface BaresipProfile {
  dir: string;
  recDir: string;
  user: string;
  sipAddress: string;
  ctrlHost: string;
  ctrlPort: number;
}

function splitHostPort(addr: string, what: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`${what}: expected IP:PORT, got ${addr}`);
  return { host: addr.slice(0, i), port };
}

export function writeBaresipProfile(dir: string, options: BaresipProfileOptions = {}): BaresipProfile {
  const absDir = resolve(dir);
  const user = options.user ?? 'peer';
  const sip = options.sip ?? '127.0.0.1:5090';
  const ctrl = options.ctrl ?? '127.0.0.1:4444';
  const recDir = resolve(options.recDir ?? `${absDir}/rec`);
  const sipHost = splitHostPort(sip, 'sip').host;
  const ctrlAddr = splitHostPort(ctrl, 'ctrl');
  mkdirSync(absDir, { recursive: true });
  mkdirSync(recDir, { recursive: true });
  const source = options.wav ? `aufile,${resolve(options.wav)}` : `ausine,${options.sineHz ?? 440}`;
  const sourceModule = options.wav ? 'aufile.so' : 'ausine.so';
  const config = [
    '# written by test/support/peers/baresip-profile.ts: headless, loopback only',
    'poll_method\t\tepoll',
    `sip_listen\t\t${sip}`,
    // An interface name ("lo") fails in 1.0.0 ("could not get IPv4 address"); the address works.
    `net_interface\t\t${sipHost}`,
    // Any DNS query goes to loopback where nothing answers: no look-up leaves the host.
    'dns_server\t\t127.0.0.1:53',
    'call_local_timeout\t60',
    'call_max_calls\t\t4',
    'audio_player\t\talsa,null',
    'audio_alert\t\talsa,null',
    `audio_source\t\t${source}`,
    `rtp_ports\t\t${options.rtpPorts ?? '31000-31099'}`,
    'rtp_timeout\t\t0',
    'jitter_buffer_delay\t1-10',
    'statmode_default\toff',
    '',
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    `module\t\t\t${sourceModule}`,
    'module\t\t\talsa.so',
    'module\t\t\tsndfile.so',
    'module\t\t\tctrl_tcp.so',
    'module_tmp\t\taccount.so',
    'module_app\t\tmenu.so',
    '',
    `ctrl_tcp_listen\t\t${ctrl}`,
    `snd_path\t\t${recDir}`,
    '',
  ].join('\n');
  writeFileSync(`${absDir}/config`, config);
  // regint=0: never REGISTER; answermode=auto answers incoming calls at once.
  const account = `<sip:${user}@${sip}>;regint=0;answermode=${options.autoAnswer ? 'auto' : 'manual'};audio_codecs=${options.codecs ?? 'pcmu,pcma'}\n`;
  writeFileSync(`${absDir}/accounts`, account);
  return { dir: absDir, recDir, user, sipAddress: sip, ctrlHost: ctrlAddr.host, ctrlPort: ctrlAddr.port };
}
