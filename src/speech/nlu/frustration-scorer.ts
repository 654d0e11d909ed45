import Sentiment from 'sentiment';

/**
 * Notices a caller who is fed up: the AFINN-165 word scores of the `sentiment` library over what they said, plus
 * the phrases callers use to ask for a person. A flow branches on the result or escalates to a human with priority.
 */

/** What callers say when they want a person; multi-word phrases are matched as whole words in order. */
export const ESCALATION_PHRASES: readonly string[] = [
  'agent', 'operator', 'representative', 'a person', 'a human', 'real person', 'speak to someone', 'talk to someone',
  'customer service', 'this is useless', 'not helpful',
];

export interface FrustrationScore {
  /** Sum of the word scores: below zero reads negative ("useless" -2, "terrible" -3). */
  sentiment: number;
  /** The escalation phrases found in the text. */
  escalation: string[];
  /** Sentiment at or below the threshold, or an escalation phrase. */
  frustrated: boolean;
}

export interface FrustrationScorerOptions {
  /** A sentiment sum at or below this is frustrated. Default -2 (one clearly negative word). */
  frustratedAtOrBelow?: number;
  escalationPhrases?: readonly string[];
}

function words(text: string): string[] {
  return text.toLowerCase().replace(/[\u2018\u2019]/g, "'").split(/[^a-z0-9']+/).filter((w) => w !== '');
}

function containsPhrase(haystack: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= haystack.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (haystack[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export class FrustrationScorer {
  private readonly analyzer = new Sentiment();
  private readonly threshold: number;
  private readonly phrases: Array<{ text: string; words: string[] }>;

  constructor(options: FrustrationScorerOptions = {}) {
    this.threshold = options.frustratedAtOrBelow ?? -2;
    this.phrases = (options.escalationPhrases ?? ESCALATION_PHRASES).map((text) => ({ text, words: words(text) }));
  }

  score(text: string): FrustrationScore {
    const heard = words(text);
    const sentiment = heard.length === 0 ? 0 : this.analyzer.analyze(heard.join(' ')).score;
    const escalation = this.phrases.filter((p) => p.words.length > 0 && containsPhrase(heard, p.words)).map((p) => p.text);
    return { sentiment, escalation, frustrated: sentiment <= this.threshold || escalation.length > 0 };
  }
}
