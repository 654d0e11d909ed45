import { SystemClock } from '../common/index.js';
import type { ServerConfig } from '../config/index.js';
import { logger } from '../observability/index.js';
import type { PromptSource } from '../call/index.js';
import { FliteTtsProvider } from '../speech/index.js';
import { buildPromptLibrary } from './server.js';
import { FlowService } from './flow-service.js';

/**
 * Prompts as a caller would hear them, outside a call: for `switchboard render-prompt` and for tests that check
 * what a real peer recorded against what the server meant to play.
 */
export class PromptTools {
  private constructor(private readonly tts: FliteTtsProvider, private readonly flows: FlowService, private readonly library: ReturnType<typeof buildPromptLibrary>) {}

  static async open(config: Readonly<ServerConfig>): Promise<PromptTools> {
    const tts = new FliteTtsProvider({ defaultVoice: config.tts.voice });
    const library = buildPromptLibrary(config, tts);
    const flows = new FlowService(config.flows.dir, config.flows.default, library, new SystemClock(), logger('flow'));
    await flows.start({ watch: false, prerender: false });
    return new PromptTools(tts, flows, library);
  }

  names(): string[] {
    return [...this.library.names(), ...this.flows.staticPromptNames()];
  }

  /** The 8 kHz audio of a named prompt (built-in or `<flow>/<node>`), pauses included; undefined if unknown. */
  async render(name: string): Promise<Int16Array | undefined> {
    const sources: PromptSource[] | undefined = this.flows.staticPrompt(name)
      ?? (this.library.get(name) ? [{ kind: 'named', name }] : undefined);
    if (!sources) return undefined;
    const items = await this.library.resolve(sources);
    const parts = items.map((i) => (i.kind === 'prompt' ? i.prompt.pcm8k : new Int16Array(Math.round(i.durationMs * 8))));
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  async close(): Promise<void> {
    this.flows.stop();
    await this.tts.close();
  }
}
