import type { SurveyAnswerKind, SurveyNode } from '../schema/index.js';
import { askKey } from './ask-key.js';
import type { NodeHandler } from './node-handler.js';

const ANSWER_KEYS: Readonly<Record<SurveyAnswerKind, string>> = { scale: '12345', 'yes-no': '12' };

function answerOf(kind: SurveyAnswerKind, key: string): number | boolean {
  return kind === 'scale' ? Number(key) : key === '1';
}

/**
 * Asks each question for one key (1–5, or 1 yes / 2 no). Each answer is committed as soon as it is given, so a
 * caller who hangs up half-way leaves the answers they gave; a question left unanswered is stored as null.
 */
export const surveyNode: NodeHandler<SurveyNode> = {
  type: 'survey',
  async exec(node, ctx) {
    if (node.prompt.length > 0) await ctx.play(node.prompt);
    for (const q of node.questions) {
      const key = await askKey(ctx, q.prompt, ANSWER_KEYS[q.answer], { timeoutMs: node.timeoutMs, retries: node.retries });
      const answer = key === undefined ? null : answerOf(q.answer, key);
      await ctx.storage.saveSurveyAnswer({
        callId: ctx.call.id, flow: ctx.flow.name, survey: node.id, question: q.id, answer, answeredAtMs: ctx.now(),
      });
      ctx.outcome({ type: 'survey', question: q.id, answer });
    }
    await ctx.play(node.thanksPrompt ?? 'surveyThanks', { bargeIn: false });
    return node.next ?? ctx.hangup('goodbye');
  },
};
