import { randomBytes } from 'node:crypto';

/** Random token of `bytes` bytes, hex; for tags, branch suffixes and Call-IDs (RFC 3261 §19.3 asks ≥ 32 bits). */
export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** RFC 3261 §8.1.1.7: a branch begins with the magic cookie "z9hG4bK". */
export function newBranch(): string {
  return `z9hG4bK${randomToken(8)}`;
}
