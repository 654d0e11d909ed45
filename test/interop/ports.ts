/**
 * Port blocks, one per interop test file, so files can run in parallel inside the shared namespace. Inside the
 * loopback-only namespace nothing else listens, but the blocks also keep clear of 5060/8080 outside it.
 */

export interface PortBlock {
  /** Server SIP (UDP and TCP). */
  sip: number;
  http: number;
  rtpMin: number;
  rtpMax: number;
  /** SIPp local SIP ports: sippBase, sippBase + 1, ... (up to 8 per file). */
  sippBase: number;
  /** SIPp -mp for the n-th SIPp run of the file: mediaBase + 10 n. */
  mediaBase: number;
  baresipSip: number;
  baresipCtrl: number;
  baresipRtpPorts: string;
}

export const PORT_SLOTS = {
  harnessSipp: 0,
  harnessBaresip: 1,
  callDtmf: 2,
  cancel: 3,
  reinviteHold: 4,
  malformed: 5,
  options: 6,
  infoDtmf: 7,
  baresipDemo: 8,
  transfer: 9,
  refer: 10,
  exampleFlows: 11,
  speech: 12,
} as const;

export function portBlock(slot: number): PortBlock {
  return {
    sip: 5300 + 20 * slot,
    http: 8300 + slot,
    rtpMin: 20000 + 400 * slot,
    rtpMax: 20000 + 400 * slot + 399,
    sippBase: 5300 + 20 * slot + 2,
    mediaBase: 16000 + 100 * slot,
    baresipSip: 5700 + 10 * slot,
    baresipCtrl: 4400 + 10 * slot,
    baresipRtpPorts: `${31000 + 100 * slot}-${31000 + 100 * slot + 99}`,
  };
}
