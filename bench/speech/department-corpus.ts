/**
 * What the speech benchmark says: the 8-department routing grammar, the ways callers phrase a department, and
 * speech that must be rejected (other requests, other languages, noise, silence).
 */
import type { OptionsGrammar } from '../../src/speech/asr/index.js';

export const DEPARTMENTS: OptionsGrammar = {
  kind: 'options',
  options: [
    { value: 'billing', phrases: ['billing', 'bills', 'my bill', 'invoice', 'payment'] },
    { value: 'sales', phrases: ['sales', 'buy', 'purchase', 'new order'] },
    { value: 'support', phrases: ['support', 'help', 'customer service', 'help desk'] },
    { value: 'shipping', phrases: ['shipping', 'delivery', 'shipment', 'track my package'] },
    { value: 'returns', phrases: ['returns', 'return', 'refund', 'exchange'] },
    { value: 'accounts', phrases: ['accounts', 'account', 'my account', 'sign in'] },
    { value: 'technical', phrases: ['technical', 'tech support', 'technical support', 'internet problem'] },
    { value: 'operator', phrases: ['operator', 'agent', 'representative', 'a person', 'human'] },
  ],
};

/** How callers wrap the department; `{}` is the spoken synonym. */
export const TEMPLATES = [
  '{}',
  '{} please',
  "I'd like to talk to {}",
  'um, {}',
  'yeah, I have a question about {}',
  'can you connect me to {}, thanks',
];

/** Sentences that name no department: a recognizer must not route them. */
export const OUT_OF_GRAMMAR_SENTENCES = [
  'What is the weather like tomorrow?',
  'I want to order a large pizza with mushrooms.',
  'My cat is sleeping on the couch.',
  'Can you tell me a joke?',
  'How late are you open today?',
  'I am calling about the job posting.',
  'Sorry, wrong number.',
  'Hello? Is anybody there?',
  'The quick brown fox jumps over the lazy dog.',
  'I was just driving to work this morning.',
  'Could you repeat the menu one more time?',
  'My neighbour said you could fix my fence.',
  'We are having a party on Saturday night.',
  'Hang on, let me find my glasses.',
  'Mm hmm, okay, I see.',
  'Twenty seven, forty two, nineteen.',
  'Where is the nearest train station?',
  'I think it is going to rain later.',
  'Please stop calling me.',
  'Good morning, how are you doing today?',
];

/** Other-language speech, voiced by espeak-ng's own voices for those languages. */
export const FOREIGN_SENTENCES: Array<{ voice: string; text: string }> = [
  { voice: 'fr', text: "Bonjour, je voudrais parler à quelqu'un, s'il vous plaît." },
  { voice: 'fr', text: 'Le train part à huit heures du matin.' },
  { voice: 'fr', text: 'Pouvez-vous répéter, je ne comprends pas.' },
  { voice: 'de', text: 'Guten Tag, ich habe eine Frage zu meinem Vertrag.' },
  { voice: 'de', text: 'Das Wetter ist heute sehr schön.' },
  { voice: 'de', text: 'Können Sie mich bitte zurückrufen?' },
  { voice: 'es', text: 'Hola, buenos días, quiero hablar con alguien.' },
  { voice: 'es', text: 'No entiendo lo que dice la máquina.' },
  { voice: 'it', text: 'Vorrei prenotare un tavolo per due persone.' },
  { voice: 'nl', text: 'Goedemiddag, ik bel over mijn bestelling.' },
];

export interface VoiceSetting {
  engine: 'espeak' | 'flite';
  voice: string;
  pitch?: number;
  /** espeak-ng words per minute, or Flite rate (1 = normal). */
  speeds: number[];
}

const ESPEAK_SPEEDS = [140, 175, 210];
const FLITE_RATES = [0.85, 1, 1.2];

/**
 * Flite's voices (slt, rms, awb: 16 kHz statistical voices; kal: 8 kHz diphone) and espeak-ng's formant voices.
 * Both are synthetic; the formant voices are the further from the real telephone speech the model was trained on.
 */
export const ENGLISH_VOICES: VoiceSetting[] = [
  { engine: 'flite', voice: 'slt', speeds: FLITE_RATES },
  { engine: 'flite', voice: 'rms', speeds: FLITE_RATES },
  { engine: 'flite', voice: 'awb', speeds: FLITE_RATES },
  { engine: 'flite', voice: 'kal', speeds: FLITE_RATES },
  { engine: 'espeak', voice: 'en-us', pitch: 50, speeds: ESPEAK_SPEEDS },
  { engine: 'espeak', voice: 'en-gb', pitch: 45, speeds: ESPEAK_SPEEDS },
  { engine: 'espeak', voice: 'en-us+f3', pitch: 65, speeds: ESPEAK_SPEEDS },
  { engine: 'espeak', voice: 'en+m3', pitch: 35, speeds: ESPEAK_SPEEDS },
];
