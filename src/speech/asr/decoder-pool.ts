/**
 * A pool of expensive engine objects (a SoundSwallower decoder costs ~20 ms and ~6 MB to build): one per active
 * recognition, returned when it ends. Acquiring prefers an idle one already set up for the wanted grammar.
 */
import { SwitchboardError } from '../../common/index.js';

export interface Poolable {
  /** The grammar key the object is set up for, if any. */
  readonly currentGrammar: string | null;
  /**
   * Called when an idle object is handed out again, so that nothing one user left in it reaches the next one; an
   * object that fails to reset is deleted and the error thrown.
   */
  reset?(): void;
  delete(): void;
}

export interface DecoderPoolOptions {
  /** Built up front so the first calls do not pay for it. Default 1. */
  minIdle?: number;
  /** Active plus idle never exceeds this; acquire beyond it fails with SWB_ERR_ASR_BUSY. Default 64. */
  maxSize?: number;
}

export class DecoderPool<T extends Poolable> {
  private readonly idle: T[] = [];
  private readonly active = new Set<T>();
  private built = 0;
  private closed = false;
  readonly maxSize: number;

  constructor(private readonly factory: () => T, options: DecoderPoolOptions = {}) {
    this.maxSize = options.maxSize ?? 64;
    const minIdle = Math.min(options.minIdle ?? 1, this.maxSize);
    for (let i = 0; i < minIdle; i++) this.idle.push(this.build());
  }

  get activeCount(): number {
    return this.active.size;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  /** How many objects the factory has built. */
  get builtCount(): number {
    return this.built;
  }

  acquire(grammarKey: string | null = null): T {
    if (this.closed) throw new SwitchboardError('SWB_ERR_ASR_STATE', 'The recognizer is closed');
    let index = grammarKey === null ? -1 : this.idle.findIndex((d) => d.currentGrammar === grammarKey);
    if (index < 0 && this.idle.length > 0) index = this.idle.length - 1;
    let item: T;
    if (index >= 0) {
      item = this.idle[index];
      this.idle.splice(index, 1);
      try {
        item.reset?.();
      } catch (e) {
        item.delete();
        throw e;
      }
    } else if (this.active.size < this.maxSize) {
      item = this.build();
    } else {
      throw new SwitchboardError('SWB_ERR_ASR_BUSY', `All ${this.maxSize} recognizers are in use`);
    }
    this.active.add(item);
    return item;
  }

  release(item: T): void {
    if (!this.active.delete(item)) return;
    if (this.closed) item.delete();
    else this.idle.push(item);
  }

  /** Deletes idle objects now and active ones as they are released. */
  close(): void {
    this.closed = true;
    for (const item of this.idle.splice(0)) item.delete();
  }

  private build(): T {
    const item = this.factory();
    this.built++;
    return item;
  }
}
