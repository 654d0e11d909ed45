/**
 * Splits an RTP port range into `parts` disjoint sub-ranges of equal size, one per media worker. Boundaries are
 * even so every sub-range starts with an RTP port and holds whole RTP/RTCP pairs (RFC 3550 §11); a pair left
 * over by the division stays unused.
 */
export function splitPortRange(portMin: number, portMax: number, parts: number): Array<{ portMin: number; portMax: number }> {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`cannot split a port range into ${parts} parts`);
  const first = portMin + (portMin % 2);
  const pairs = Math.floor((portMax - first + 1) / 2);
  const perPart = Math.floor(pairs / parts);
  if (perPart < 1) throw new RangeError(`RTP port range ${portMin}-${portMax} holds fewer than one pair per worker (${parts} workers)`);
  return Array.from({ length: parts }, (_, i) => {
    const min = first + 2 * perPart * i;
    return { portMin: min, portMax: min + 2 * perPart - 1 };
  });
}
