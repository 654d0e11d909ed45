/**
 * Names prompts for the media workers: each Prompt object gets a number once, and the workers keep the prompt
 * (a view on the same shared memory, see Prompt.toData) under that number, so a play request carries numbers, not
 * frames. When the main thread lets go of a prompt (e.g. the speech cache evicts it), `onForget` tells the
 * workers to drop it too; plays already queued there keep their own reference.
 */
import type { Prompt } from '../player/index.js';

export class SharedPromptIds {
  private readonly ids = new WeakMap<Prompt, number>();
  private readonly finalizer: FinalizationRegistry<number>;
  private next = 0;

  constructor(onForget: (id: number) => void) {
    this.finalizer = new FinalizationRegistry(onForget);
  }

  idOf(prompt: Prompt): number {
    let id = this.ids.get(prompt);
    if (id === undefined) {
      id = ++this.next;
      this.ids.set(prompt, id);
      this.finalizer.register(prompt, id);
    }
    return id;
  }
}
