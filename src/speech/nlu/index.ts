export {
  validateNluDefinition,
  type AmountSlot, type DateSlot, type DigitsSlot, type EnumSlot, type IntentDefinition, type NluDefinition, type SlotDefinition,
  type YesNoSlot,
} from './intent-definition.js';
export { IntentMatcher, type IntentMatch, type MatchOptions, type SlotMatch } from './intent-matcher.js';
export { ESCALATION_PHRASES, FrustrationScorer, type FrustrationScore, type FrustrationScorerOptions } from './frustration-scorer.js';
