import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { FakeClock } from '../../common/index.js';
import { fsDirectoryWatcher, FlowRegistry, type DirectoryWatcher, type FlowRegistryEvent } from './index.js';

const quiet = pino({ enabled: false });

function flowText(numbers: string[], goodbye = 'Goodbye.', name?: string): string {
  return `${name ? `name: ${name}\n` : ''}numbers: ${JSON.stringify(numbers)}
escape: { to: bye }
start: main
nodes:
  main:
    type: say
    prompt: Hello.
    next: bye
  bye:
    type: hangup
    prompt: ${goodbye}
`;
}

/** A watcher the test drives by hand: `fire(name)` is what fs.watch would report. */
function manualWatcher(): DirectoryWatcher & { fire(name: string | null): void; closed: boolean } {
  let listener: ((name: string | null) => void) | undefined;
  const w = Object.assign(
    (_dir: string, onChange: (name: string | null) => void) => {
      listener = onChange;
      return { close: () => { w.closed = true; } };
    },
    { fire: (name: string | null) => listener?.(name), closed: false },
  );
  return w;
}

describe('FlowRegistry', () => {
  let dir: string;
  let clock: FakeClock;
  let watcher: ReturnType<typeof manualWatcher>;
  let registry: FlowRegistry;
  let events: FlowRegistryEvent[];
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swb-flows-'));
    clock = new FakeClock();
    watcher = manualWatcher();
    events = [];
  });
  afterEach(() => {
    registry?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    registry = new FlowRegistry({ dir, clock, watcher, debounceMs: 100, log: quiet });
    registry.onChange((e) => events.push(e));
    const diagnostics = registry.load();
    registry.watch();
    return diagnostics;
  };

  it('loads yaml, yml and json files, ignores others, and resolves numbers to flows', () => {
    write('sales.yaml', flowText(['100', 'sales']));
    write('support.yml', flowText(['200']));
    write('billing.json', JSON.stringify({ numbers: ['300'], escape: false, start: 'm', nodes: { m: { type: 'hangup' } } }));
    write('notes.txt', 'not a flow');
    const diagnostics = open();
    assert.equal(registry.resolve('100')?.name, 'sales');
    assert.equal(registry.resolve('sales'), registry.resolve('100'));
    assert.equal(registry.resolve('200')?.name, 'support');
    assert.equal(registry.resolve('300')?.name, 'billing');
    assert.equal(registry.resolve('999'), undefined);
    assert.deepEqual([...registry.flows().keys()].sort(), ['billing', 'sales', 'support']);
    assert.deepEqual(diagnostics.map((d) => d.code), ['SWB_FLOW_NO_ESCAPE'], 'warnings of live flows are reported too');
  });

  it('refuses a number claimed by two flows, naming both files, and keeps the first', () => {
    write('a.yaml', flowText(['100']));
    write('b.yaml', flowText(['200', '100']));
    const [d] = open();
    assert.equal(d.code, 'SWB_FLOW_DUPLICATE_NUMBER');
    assert.equal(d.file, relative(process.cwd(), join(dir, 'b.yaml')));
    assert.match(d.message, /'100' is claimed by both .*b\.yaml and .*a\.yaml/);
    assert.deepEqual([d.line, d.column], [1, 17]);
    assert.equal(registry.resolve('100')?.name, 'a');
    assert.equal(registry.resolve('200'), undefined, 'a refused flow takes no number at all');
  });

  it('refuses a second flow with the same name', () => {
    write('a.yaml', flowText(['100'], 'Bye.', 'main-line'));
    write('b.yaml', flowText(['200'], 'Bye.', 'main-line'));
    const found = open();
    assert.deepEqual(found.map((d) => [d.code, d.line]), [['SWB_FLOW_DUPLICATE_NAME', 1]]);
    assert.equal(registry.get('main-line')?.file, join(dir, 'a.yaml'));
  });

  it('refuses flows with lint errors, unless told not to', () => {
    write('a.yaml', flowText(['100']).replace('    next: bye\n', ''));
    assert.deepEqual(open().map((d) => d.code), ['SWB_FLOW_DEAD_END']);
    assert.equal(registry.resolve('100'), undefined);
    const lenient = new FlowRegistry({ dir, clock, watcher: manualWatcher(), log: quiet, rejectLintErrors: false });
    lenient.load();
    assert.equal(lenient.resolve('100')?.name, 'a');
  });

  it('hot-reloads a changed file once it goes quiet; calls in progress keep their version', () => {
    write('a.yaml', flowText(['100'], 'Goodbye.'));
    open();
    const inCall = registry.resolve('100');
    assert.ok(inCall);
    write('a.yaml', flowText(['100'], 'See you.'));
    watcher.fire('a.yaml');
    clock.advance(50);
    watcher.fire('a.yaml');
    clock.advance(99);
    assert.equal(registry.resolve('100'), inCall, 'not before the debounce');
    clock.advance(1);
    const now = registry.resolve('100');
    assert.notEqual(now, inCall);
    assert.deepEqual(now?.nodes.bye.type === 'hangup' && now.nodes.bye.prompt, [{ kind: 'say', text: 'See you.' }]);
    assert.deepEqual(inCall.nodes.bye.type === 'hangup' && inCall.nodes.bye.prompt, [{ kind: 'say', text: 'Goodbye.' }]);
    assert.notEqual(now?.revision, inCall.revision);
    assert.equal(events.length, 1, 'two events within the debounce make one reload');
    const [e] = events;
    assert.ok(e.kind === 'loaded' && e.previous === inCall && e.flow === now);
  });

  it('refuses an invalid new version and keeps the old one serving', () => {
    write('a.yaml', flowText(['100']));
    open();
    const serving = registry.resolve('100');
    write('a.yaml', flowText(['100']).replace('next: bye', 'next: byee'));
    watcher.fire('a.yaml');
    clock.advance(100);
    assert.equal(registry.resolve('100'), serving);
    const [e] = events;
    assert.ok(e.kind === 'rejected');
    assert.equal(e.serving, serving);
    assert.deepEqual(e.errors.map((d) => [d.code, d.line, d.column]), [['SWB_FLOW_UNKNOWN_NODE', 8, 11]]);
    assert.deepEqual(registry.diagnostics().map((d) => d.code), ['SWB_FLOW_UNKNOWN_NODE']);
  });

  it('loads a new file, unloads a deleted one, and rescans when the watcher cannot name the file', () => {
    write('a.yaml', flowText(['100']));
    open();
    const a = registry.resolve('100');
    write('b.yaml', flowText(['200']));
    watcher.fire('b.yaml');
    clock.advance(100);
    assert.equal(registry.resolve('200')?.name, 'b');
    unlinkSync(join(dir, 'a.yaml'));
    watcher.fire(null);
    clock.advance(100);
    assert.equal(registry.resolve('100'), undefined);
    assert.deepEqual(events.map((e) => e.kind), ['loaded', 'unloaded']);
    const last = events[1];
    assert.ok(last.kind === 'unloaded' && last.flow === a);
  });

  it('lets a refused file in once the file it clashed with gives the number up', () => {
    write('a.yaml', flowText(['100']));
    write('b.yaml', flowText(['100', '200']));
    open();
    assert.equal(registry.resolve('200'), undefined);
    write('a.yaml', flowText(['150']));
    watcher.fire('a.yaml');
    clock.advance(100);
    assert.equal(registry.resolve('100')?.name, 'b');
    assert.equal(registry.resolve('150')?.name, 'a');
    assert.deepEqual(registry.diagnostics(), []);
  });

  it('stops reloading after close', () => {
    write('a.yaml', flowText(['100']));
    open();
    const before = registry.resolve('100');
    write('a.yaml', flowText(['100'], 'Later.'));
    watcher.fire('a.yaml');
    registry.close();
    clock.advance(1000);
    assert.equal(registry.resolve('100'), before);
    assert.equal(watcher.closed, true);
  });

  it('treats an unreadable folder as no flows, and cannot-watch as a logged problem, not a throw', () => {
    const missing = new FlowRegistry({ dir: join(dir, 'nope'), clock, log: quiet });
    assert.deepEqual(missing.load(), []);
    assert.doesNotThrow(() => missing.watch());
    assert.equal(missing.resolve('100'), undefined);
  });

  it('sees real file changes through fs.watch', { timeout: 10_000 }, async () => {
    write('a.yaml', flowText(['100']));
    let seen!: () => void;
    const changed = new Promise<void>((resolve) => { seen = resolve; });
    const spy: DirectoryWatcher = (d, onChange) => fsDirectoryWatcher(d, (name) => {
      onChange(name);
      seen();
    });
    registry = new FlowRegistry({ dir, clock, watcher: spy, debounceMs: 100, log: quiet });
    registry.load();
    registry.watch();
    // The registry's watcher does not keep a process alive (the server's sockets do); here the test must.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      write('b.yaml', flowText(['200']));
      await changed;
    } finally {
      clearInterval(keepAlive);
    }
    clock.advance(100);
    assert.equal(registry.resolve('200')?.name, 'b');
  });
});
