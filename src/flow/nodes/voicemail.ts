import { SwitchboardError } from '../../common/index.js';
import type { VoicemailNode } from '../schema/index.js';
import type { NodeHandler } from './node-handler.js';

/** Shorter than this (after the trailing silence is trimmed) nothing was said. */
export const MIN_MESSAGE_MS = 1000;

/**
 * Greeting, beep, recording; the message is committed (fsync'd WAV, committed row) before the caller hears that
 * it is saved. A caller who hangs up while recording still leaves the message. Storage that fails is a node
 * failure: the flow's escape (a human) takes the call — the caller is never told a lost message was saved.
 */
export const voicemailNode: NodeHandler<VoicemailNode> = {
  type: 'voicemail',
  async exec(node, ctx) {
    await ctx.play(node.prompt, { escapeOnKey: true });
    ctx.clearKeys();
    if (node.beep) await ctx.beep();
    const webhook = node.webhook !== undefined ? ctx.renderTemplate(node.webhook, encodeURIComponent) : undefined;
    const pending = await ctx.storage.startVoicemail({
      callId: ctx.call.id, flow: ctx.flow.name, mailbox: node.mailbox, callerId: ctx.call.callerId,
      calledUser: ctx.call.calledUser, ...(webhook !== undefined ? { webhook } : {}),
    });
    const recordedAtMs = ctx.now();
    const result = await ctx.record({
      path: pending.path, maxDurationMs: node.maxLengthMs,
      ...(node.endSilenceMs > 0 ? { endOnSilenceMs: node.endSilenceMs } : {}),
      ...(node.finishKey !== null ? { endOnDigits: node.finishKey } : {}),
    });
    if (result.reason === 'error') {
      throw new SwitchboardError('SWB_ERR_FLOW_STORAGE', `voicemail ${pending.id} could not be recorded to ${pending.path}`);
    }
    if (result.durationMs < MIN_MESSAGE_MS) {
      await ctx.storage.discardVoicemail(pending.id);
      ctx.stopIfCallEnded();
      await ctx.play('noMessage', { bargeIn: false });
      return node.noMessage ?? ctx.hangup('goodbye');
    }
    await ctx.storage.saveVoicemail(pending.id, { durationMs: result.durationMs, recordedAtMs });
    ctx.outcome({ type: 'voicemail', id: pending.id, mailbox: node.mailbox, durationMs: result.durationMs });
    ctx.stopIfCallEnded();
    await ctx.play(node.savedPrompt ?? 'messageSaved', { bargeIn: false });
    return node.next ?? ctx.hangup('goodbye');
  },
};
