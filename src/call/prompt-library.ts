import { readFile } from 'node:fs/promises';
import { SwitchboardError } from '../common/index.js';
import { Prompt, readWav, type PlayItem } from '../media/index.js';
import { splitSentences, type TtsProvider } from '../speech/index.js';
import type { PromptSource } from './call-control.js';

/** A play item, or the promise of one still being rendered. */
export type PendingPlayItem = PlayItem | Promise<PlayItem>;

const asPlayItem = (prompt: Prompt): PlayItem => ({ kind: 'prompt', prompt });

/**
 * Every prompt a call can play, as pre-encoded G.711 frames: named prompts rendered once at start-up, and
 * synthesized speech cached by voice + text so a sentence is synthesized once and then only streamed.
 */
/** Below this a sample is silence (about -40 dBFS). */
const SILENCE_LEVEL = 300;
const KEEP_BEFORE_SPEECH_MS = 40;

/**
 * Engines pad each synthesis with ~200 ms of silence before the first word (Flite: 190–230 ms). Cut to 40 ms: a
 * prompt starts sooner, and sentences streamed one after another are not separated by that padding on top of the
 * previous sentence's trailing pause.
 */
export function trimLeadingSilence(pcm: Int16Array, sampleRate: number): Int16Array {
  let first = 0;
  while (first < pcm.length && Math.abs(pcm[first]) < SILENCE_LEVEL) first++;
  if (first === pcm.length) return pcm;
  const start = Math.max(0, first - Math.round((KEEP_BEFORE_SPEECH_MS * sampleRate) / 1000));
  return start === 0 ? pcm : pcm.subarray(start);
}

export class PromptLibrary {
  private readonly named = new Map<string, Prompt>();
  private readonly speechCache = new Map<string, Promise<Prompt>>();
  private readonly fileCache = new Map<string, Promise<Prompt>>();

  constructor(
    private readonly tts: TtsProvider,
    private readonly defaultVoice: string,
    private readonly maxCachedSpeech = 1000,
  ) {}

  register(name: string, prompt: Prompt): void {
    this.named.set(name, prompt);
  }

  /** Synthesizes `text` now and registers it under `name`. */
  async registerSpeech(name: string, text: string, voice?: string): Promise<Prompt> {
    const prompt = await this.speech(text, voice);
    this.named.set(name, prompt);
    return prompt;
  }

  get(name: string): Prompt | undefined {
    return this.named.get(name);
  }

  names(): string[] {
    return [...this.named.keys()];
  }

  /** Synthesized speech for `text`, from the cache when it was said before. */
  speech(text: string, voice = this.defaultVoice): Promise<Prompt> {
    const key = speechKey(voice, text);
    const cached = this.speechCache.get(key);
    if (cached) {
      // Refresh recency: Map iteration order is insertion order, so re-inserting makes this the newest entry.
      this.speechCache.delete(key);
      this.speechCache.set(key, cached);
      return cached;
    }
    const rendering = this.tts.synthesize(text, { voice })
      .then((audio) => Prompt.fromPcm(trimLeadingSilence(audio.pcm, audio.sampleRate), audio.sampleRate, text));
    this.speechCache.set(key, rendering);
    rendering.catch(() => this.speechCache.delete(key));
    while (this.speechCache.size > this.maxCachedSpeech) {
      const oldest = this.speechCache.keys().next().value as string;
      this.speechCache.delete(oldest);
    }
    return rendering;
  }

  /**
   * A recorded prompt from a WAV file, decoded and converted to 8 kHz G.711 once. A file that changes on disk is
   * picked up by `forgetFile` (flow reloads call it), not by checking the file on every play.
   */
  file(path: string): Promise<Prompt> {
    const cached = this.fileCache.get(path);
    if (cached) return cached;
    const loading = readFile(path).then((buf) => {
      const wav = readWav(buf);
      return Prompt.fromPcm(wav.pcm, wav.sampleRate, path);
    });
    this.fileCache.set(path, loading);
    loading.catch(() => this.fileCache.delete(path));
    return loading;
  }

  forgetFile(path: string): void {
    this.fileCache.delete(path);
  }

  /**
   * The play items of `sources` in order, all rendering from now on, each usable once it is ready, so a call can start
   * playing before the rest is synthesized. Speech whose whole text is cached (static prompts rendered at flow load,
   * which use `speech(text)`) stays one item; other speech becomes one item per sentence, each cached on its own so
   * the same dynamic text is synthesized only once as well. Throws for an unknown named prompt before rendering any.
   */
  pendingItems(sources: readonly PromptSource[]): PendingPlayItem[] {
    for (const s of sources) if (s.kind === 'named') this.namedPrompt(s.name);
    return sources.flatMap((s) => this.itemsOf(s, (text, voice) => this.speechPieces(text, voice)));
  }

  /** One source's items; `speech` says how its text is rendered (whole, or sentence by sentence). */
  private itemsOf(s: PromptSource, speech: (text: string, voice?: string) => Array<Promise<Prompt>>): PendingPlayItem[] {
    switch (s.kind) {
      case 'named': return [asPlayItem(this.namedPrompt(s.name))];
      case 'tts': return speech(s.text, s.voice).map((piece) => piece.then(asPlayItem));
      case 'file': return [this.file(s.path).then(asPlayItem)];
      case 'silence': return [{ kind: 'silence', durationMs: s.durationMs }];
    }
  }

  private speechPieces(text: string, voice = this.defaultVoice): Array<Promise<Prompt>> {
    if (this.speechCache.has(speechKey(voice, text))) return [this.speech(text, voice)];
    const sentences = splitSentences(text);
    // One sentence (or nothing speakable) is rendered from the text as given, under the same key as the whole text.
    if (sentences.length < 2) return [this.speech(text, voice)];
    return sentences.map((sentence) => this.speech(sentence, voice));
  }

  private namedPrompt(name: string): Prompt {
    const prompt = this.named.get(name);
    if (!prompt) throw new SwitchboardError('SWB_ERR_MEDIA_FORMAT', `unknown prompt "${name}"`);
    return prompt;
  }

  /** Turns prompt sources into play items, whole texts unsplit; unknown names are an error, not silence. */
  async resolve(sources: readonly PromptSource[]): Promise<PlayItem[]> {
    return Promise.all(sources.flatMap((s) => this.itemsOf(s, (text, voice) => [this.speech(text, voice)])));
  }
}

function speechKey(voice: string, text: string): string {
  return `${voice}\u0000${text}`;
}
