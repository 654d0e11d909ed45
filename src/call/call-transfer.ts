import type { TransferRequest, TransferResult } from './call-control.js';
import { BridgeTransfer } from './bridge-transfer.js';
import { ReferTransfer } from './refer-transfer.js';
import { CALLER_HUNG_UP, type TransferLinks, type TransferParty } from './transfer-links.js';
import { resolveTransferTarget } from './transfer-target.js';

/**
 * Runs one transfer of `party` (see CallControl.transfer). 'refer' first asks the caller's side to call the target
 * (RFC 3515) and bridges when it refuses or fails; a caller whose INVITE's Allow omits REFER (RFC 3261 §20.5) is
 * bridged at once.
 */
export async function transferCall(party: TransferParty, links: TransferLinks, request: TransferRequest): Promise<TransferResult> {
  const target = resolveTransferTarget(request.target, request.trunk, links.trunks);
  if ('error' in target) {
    links.log.warn({ callId: party.id, target: request.target, trunk: request.trunk }, `transfer: ${target.error}`);
    return { outcome: 'failed', reason: target.error };
  }
  if (party.ended) return CALLER_HUNG_UP;
  if (request.method === 'refer') {
    const allow = links.callerAllow;
    if (allow === undefined || allow.includes('REFER')) {
      const referred = await new ReferTransfer(party, links, target, request).run();
      if (referred !== 'fall-back') return referred;
      if (party.ended) return CALLER_HUNG_UP;
    } else {
      links.log.info({ callId: party.id }, 'transfer: the caller does not allow REFER; bridging');
    }
  }
  return new BridgeTransfer(party, links, target, request).run();
}
