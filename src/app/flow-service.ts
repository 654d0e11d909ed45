import { existsSync } from 'node:fs';
import type { Clock } from '../common/index.js';
import type { Logger } from '../observability/index.js';
import type { CallApp, PromptLibrary, PromptSource } from '../call/index.js';
import {
  FlowRegistry, FlowRunner, formatDiagnostic, staticPrompts, type FlowDocument, type FlowStorage,
} from '../flow/index.js';

export interface FlowServiceOptions {
  /** Where voicemails, callback requests and survey answers go; without it those nodes fail over to the escape. */
  storage?: FlowStorage;
}

/**
 * Serves the flows of a folder on calls: the registry keeps them in step with the files (hot reload), every
 * version's static prompts are synthesized when it loads, and each call runs on the version it started with.
 */
export class FlowService {
  readonly registry: FlowRegistry;
  private readonly runner: FlowRunner;

  constructor(
    private readonly dir: string,
    private readonly defaultFlow: string,
    private readonly prompts: PromptLibrary,
    clock: Clock,
    private readonly log: Logger,
    options: FlowServiceOptions = {},
  ) {
    this.registry = new FlowRegistry({ dir, clock, log });
    this.runner = new FlowRunner({
      clock, resolveFlow: (name) => this.registry.get(name), logger: log,
      ...(options.storage ? { storage: options.storage } : {}),
    });
  }

  /** Loads every flow and renders its static prompts; a flow that fails to load is reported and not served. */
  async start(options: { watch?: boolean; prerender?: boolean } = {}): Promise<void> {
    const { watch = true, prerender = true } = options;
    if (!existsSync(this.dir)) {
      this.log.warn({ dir: this.dir }, 'flows folder not found: no flows are served');
      return;
    }
    for (const d of this.registry.load()) {
      const line = formatDiagnostic(d);
      if (d.severity === 'error') this.log.error({ diagnostic: line }, 'flow not loaded');
      else this.log.warn({ diagnostic: line }, 'flow warning');
    }
    if (prerender) for (const flow of this.registry.flows().values()) await this.prerender(flow);
    this.registry.onChange((e) => {
      if (e.kind === 'loaded') {
        this.log.info({ file: e.file, flow: e.flow.name, reload: e.previous !== undefined }, 'flow loaded');
        for (const w of e.warnings) this.log.warn({ diagnostic: formatDiagnostic(w) }, 'flow warning');
        this.prerender(e.flow).catch((err: unknown) => this.log.error({ err, flow: e.flow.name }, 'prompt rendering failed'));
      } else if (e.kind === 'rejected') {
        for (const d of e.errors) this.log.error({ diagnostic: formatDiagnostic(d) }, 'flow change refused; the previous version keeps serving');
      } else {
        this.log.warn({ file: e.file, flow: e.flow.name }, 'flow unloaded');
      }
    });
    if (this.defaultFlow && !this.registry.get(this.defaultFlow)) {
      this.log.warn({ flow: this.defaultFlow }, 'the default flow is not loaded: unclaimed users get 404');
    }
    if (watch) this.registry.watch();
    this.log.info({ dir: this.dir, flows: [...this.registry.flows().keys()] }, 'flows ready');
  }

  stop(): void {
    this.registry.close();
  }

  /** The app for a called user: the flow claiming that number, else the default flow, else undefined. */
  appFor(calledUser: string | undefined): CallApp | undefined {
    const flow = (calledUser !== undefined ? this.registry.resolve(calledUser) : undefined)
      ?? (this.defaultFlow ? this.registry.get(this.defaultFlow) : undefined);
    if (!flow) return undefined;
    return (call) => this.runner.run(flow, call);
  }

  /** Qualified names of every flow's static prompts (`<flow>/<name>`). */
  staticPromptNames(): string[] {
    return [...this.registry.flows().values()].flatMap((f) => staticPrompts(f).map((p) => `${f.name}/${p.name}`));
  }

  /** A flow's static prompt by `<flow>/<name>` (see staticPrompts), for tools and tests. */
  staticPrompt(qualified: string): PromptSource[] | undefined {
    const slash = qualified.indexOf('/');
    const flow = this.registry.get(qualified.slice(0, slash));
    return flow && staticPrompts(flow).find((p) => p.name === qualified.slice(slash + 1))?.sources;
  }

  private async prerender(flow: FlowDocument): Promise<void> {
    const started = Date.now();
    const all = staticPrompts(flow);
    for (const p of all) await this.prompts.resolve(p.sources);
    this.log.debug({ flow: flow.name, prompts: all.length, ms: Date.now() - started }, 'static prompts rendered');
  }
}
