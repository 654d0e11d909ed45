/**
 * The ramp: which SIPp rate and limit each concurrency level uses, and which calls of a level get their RTP
 * captured. Pure arithmetic, kept apart so it can be checked without running anything.
 */

/** Mean call length of ivr_dtmf_uac.xml (ACK → server BYE ≈ 6.15 s, plus setup): steady concurrency ≈ rate × 6.2 s. */
export const CALL_SECONDS = 6.2;
/** SIPp's `-mp 20000`: call n sends RTP from port 20000 + 4·(n−1) mod 10000, so ports repeat every 2500 calls. */
export const SIPP_MEDIA_PORT_BASE = 20000;
export const SIPP_MEDIA_PORT_STEP = 4;
export const SIPP_MEDIA_PORT_CYCLE = 2500;
/** RTP captured from calls started about this long into a level, when concurrency is already steady. */
const CAPTURE_START_S = 10;

export interface LevelPlan {
  /** Nominal steady concurrency. */
  concurrent: number;
  /** New calls per second (sipp -r), one decimal. */
  rateCps: number;
  /**
   * sipp -l. Above the nominal concurrency so SIPp never throttles call starts at steady state: if the server
   * slows down, calls pile up and show as failures instead of being hidden by a lower offered rate.
   */
  limit: number;
  /** Call generation time (sipp -m = rate × seconds). */
  seconds: number;
  calls: number;
  capture: CaptureBlock;
}

/** A run of consecutive SIPp call numbers whose RTP ports are contiguous (no wrap inside the block). */
export interface CaptureBlock {
  firstCall: number;
  count: number;
  portMin: number;
  portMax: number;
}

export function sippMediaPort(callNumber: number): number {
  return SIPP_MEDIA_PORT_BASE + ((SIPP_MEDIA_PORT_STEP * (callNumber - 1)) % (SIPP_MEDIA_PORT_STEP * SIPP_MEDIA_PORT_CYCLE));
}

export function captureBlock(rateCps: number, calls: number, wanted: number): CaptureBlock {
  const count = Math.max(1, Math.min(wanted, calls, SIPP_MEDIA_PORT_CYCLE));
  let first = Math.floor(rateCps * CAPTURE_START_S) + 1;
  if (first + count - 1 > calls) first = Math.max(1, Math.floor((calls - count) / 2) + 1);
  const index = (first - 1) % SIPP_MEDIA_PORT_CYCLE;
  if (index + count > SIPP_MEDIA_PORT_CYCLE) first += SIPP_MEDIA_PORT_CYCLE - index;
  if (first + count - 1 > calls) first = 1;
  return { firstCall: first, count, portMin: sippMediaPort(first), portMax: sippMediaPort(first + count - 1) };
}

export function planLevel(concurrent: number, seconds: number, captureCalls: number): LevelPlan {
  const rateCps = Math.round((concurrent / CALL_SECONDS) * 10) / 10;
  // run_load.sh computes sipp -m with awk's %d, i.e. truncates rate × seconds.
  const calls = Math.floor(rateCps * seconds);
  return {
    concurrent,
    rateCps,
    limit: Math.ceil(concurrent * 1.2),
    seconds,
    calls,
    capture: captureBlock(rateCps, calls, captureCalls),
  };
}

/**
 * tcpdump filter for the captured calls: the server's PCMU packets to them (UDP length 8 + 12 + 160) and their
 * telephone-event packets to the server (8 + 12 + 4). Caller audio and RTCP are left out to keep the capture light.
 */
export function rtpCaptureFilter(block: CaptureBlock, serverPortMin: number, serverPortMax: number): string {
  const sipp = `portrange ${block.portMin}-${block.portMax}`;
  const server = `portrange ${serverPortMin}-${serverPortMax}`;
  return `udp and ((src ${server} and dst ${sipp} and udp[4:2] = 180) or (src ${sipp} and dst ${server} and udp[4:2] = 24))`;
}
