import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { loadFliteModule } from './flite-engine.js';
import { runWasiCommand, wasmApi, type WasmModule } from './wasi-memory-host.js';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';

/** The reference: the same command under node:wasi, writing to a real temp directory. */
async function runUnderNodeWasi(module: WasmModule, args: string[]): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'swb-flite-'));
  try {
    const wasi = new WASI({ version: 'preview1', args, env: {}, preopens: { '/out': dir }, returnOnExit: true });
    const instance = new wasmApi.Instance(module, wasi.getImportObject() as Record<string, Record<string, unknown>>);
    assert.equal(wasi.start(instance as Parameters<WASI['start']>[0]), 0);
    return new Uint8Array(await readFile(join(dir, 'a.wav')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('writes the same WAVE bytes as node:wasi with a real directory', async () => {
  const module = await loadFliteModule();
  const args = ['flite', '-voice', 'rms', '-t', SENTENCE, '-o', '/out/a.wav'];
  const expected = await runUnderNodeWasi(module, args);
  const result = runWasiCommand(module, { args });
  assert.equal(result.exitCode, 0);
  assert.ok(expected.length > 10_000);
  assert.deepEqual(result.files.get('a.wav'), expected);
});

test('captures stdout and reports the exit code passed to proc_exit', async () => {
  const module = await loadFliteModule();
  const voices = runWasiCommand(module, { args: ['flite', '-lv'] });
  assert.equal(voices.exitCode, 0);
  assert.match(voices.stdout, /^Voices available: .*\bslt\b/);
  const version = runWasiCommand(module, { args: ['flite', '--version'] });
  assert.equal(version.exitCode, 1);
  assert.match(version.stdout, /version: flite-2\.\d/);
});

test('confines the guest to its preopened directory and captures stderr', async () => {
  const module = await loadFliteModule();
  for (const target of ['/out/../escape.wav', '/etc/escape.wav']) {
    const result = runWasiCommand(module, { args: ['flite', '-t', 'hello there', '-o', target] });
    assert.equal(result.files.size, 0, target);
    assert.match(result.stderr, /can't open file/, target);
  }
  const reading = runWasiCommand(module, { args: ['flite', '-f', '/out/missing.txt', '-o', 'none'] });
  assert.match(reading.stderr, /failed to open file "\/out\/missing.txt"/);
});

test('fails writes beyond maxOutputBytes instead of growing without bound', async () => {
  const module = await loadFliteModule();
  const result = runWasiCommand(module, { args: ['flite', '-t', SENTENCE, '-o', '/out/a.wav'], maxOutputBytes: 1000 });
  assert.ok((result.files.get('a.wav')?.length ?? 0) <= 1000);
});
