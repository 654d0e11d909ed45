import { readFile } from 'node:fs/promises';
import { SwitchboardError } from '../common/index.js';
import { Prompt, readWav, type PlayItem } from '../media/index.js';
import type { TtsProvider } from '../speech/index.js';
import type { PromptSource } from './call-control.js';

/**
 * Every prompt a call can play, as pre-encoded G.711 frames: named prompts rendered once at start-up, and
 * synthesized speech cached by voice + text so a sentence is synthesized once and then only streamed.
 */
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
    const key = `${voice}\u0000${text}`;
    const cached = this.speechCache.get(key);
    if (cached) {
      // Refresh recency: Map iteration order is insertion order, so re-inserting makes this the newest entry.
      this.speechCache.delete(key);
      this.speechCache.set(key, cached);
      return cached;
    }
    const rendering = this.tts.synthesize(text, { voice }).then((audio) => Prompt.fromPcm(audio.pcm, audio.sampleRate, text));
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

  /** Turns prompt sources into play items; unknown names are an error, not silence. */
  async resolve(sources: readonly PromptSource[]): Promise<PlayItem[]> {
    const items: PlayItem[] = [];
    for (const s of sources) {
      switch (s.kind) {
        case 'named': {
          const prompt = this.named.get(s.name);
          if (!prompt) throw new SwitchboardError('SWB_ERR_MEDIA_FORMAT', `unknown prompt "${s.name}"`);
          items.push({ kind: 'prompt', prompt });
          break;
        }
        case 'tts':
          items.push({ kind: 'prompt', prompt: await this.speech(s.text, s.voice) });
          break;
        case 'file':
          items.push({ kind: 'prompt', prompt: await this.file(s.path) });
          break;
        case 'silence':
          items.push({ kind: 'silence', durationMs: s.durationMs });
          break;
      }
    }
    return items;
  }
}
