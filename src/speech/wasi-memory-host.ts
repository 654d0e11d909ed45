/**
 * A minimal WASI preview1 host that keeps every file in memory, for running a WASI command (Flite) without touching
 * the disk. node:wasi can only map preopens onto real directories, prints an ExperimentalWarning, and would leave us
 * creating, reading and cleaning up a temp file per synthesis; Flite needs only thirteen syscalls, all simple.
 *
 * The guest sees one preopened directory, `/out`, that starts empty: it can create and write files there (we read
 * them back after exit) but cannot read anything of ours. stdin is empty; stdout and stderr are captured.
 * Syscalls the guest imports but we do not implement answer ENOSYS instead of failing to link.
 * ABI reference: WebAssembly/WASI `legacy/preview1/docs.md` (struct layouts and errno values below come from it).
 */

/** The parts of the WebAssembly JS API we use; @types/node does not declare them and lib has no DOM. */
export type WasmModule = object;
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Module: { imports(module: WasmModule): { module: string; name: string; kind: string }[] };
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const PREOPEN_DIR = '/out';

export interface WasiRunOptions {
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Cap on bytes the guest may write to files and stdout/stderr together; beyond it writes fail with EFBIG. */
  maxOutputBytes?: number;
}

export interface WasiRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Files the guest created under PREOPEN_DIR, keyed by their path relative to it. */
  files: ReadonlyMap<string, Uint8Array>;
}

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_EXIST = 20;
const ERRNO_FBIG = 22;
const ERRNO_INVAL = 28;
const ERRNO_NOENT = 44;
const ERRNO_NOSYS = 52;
const ERRNO_NOTDIR = 54;
const ERRNO_SPIPE = 70;
const ERRNO_NOTCAPABLE = 76;

const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;

const OFLAGS_CREAT = 1;
const OFLAGS_DIRECTORY = 2;
const OFLAGS_EXCL = 4;
const OFLAGS_TRUNC = 8;
const FDFLAGS_APPEND = 1;

const WHENCE_SET = 0;
const WHENCE_CUR = 1;
const WHENCE_END = 2;

const CLOCKID_REALTIME = 0;
const ALL_RIGHTS = (1n << 30n) - 1n;
const PREOPEN_FD = 3;

/** Thrown out of proc_exit to unwind the guest's stack; caught by runWasiCommand. */
class ProcExit {
  constructor(readonly code: number) {}
}

class MemoryFile {
  bytes = new Uint8Array(4096);
  length = 0;

  ensure(capacity: number): void {
    if (capacity <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(capacity, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  contents(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

interface OpenFile {
  file: MemoryFile;
  position: number;
  append: boolean;
}

/** Runs the `_start` of a WASI command module in a fresh instance and returns what it wrote. */
export function runWasiCommand(module: WasmModule, options: WasiRunOptions): WasiRunResult {
  const encoder = new TextEncoder();
  const args = options.args.map((a) => encoder.encode(`${a}\0`));
  const env = Object.entries(options.env ?? {}).map(([k, v]) => encoder.encode(`${k}=${v}\0`));
  const preopenName = encoder.encode(PREOPEN_DIR);
  const maxOutputBytes = options.maxOutputBytes ?? 256 * 1024 * 1024;
  const files = new Map<string, MemoryFile>();
  const open = new Map<number, OpenFile>();
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  let outputBytes = 0;
  let nextFd = PREOPEN_FD + 1;
  const guest: { memory?: WasmMemory } = {};

  const view = (): DataView => new DataView(guest.memory!.buffer);
  const bytes = (): Uint8Array => new Uint8Array(guest.memory!.buffer);

  const writeStrings = (list: Uint8Array[], ptrsPtr: number, bufPtr: number): number => {
    const v = view();
    const mem = bytes();
    let at = bufPtr;
    list.forEach((s, i) => {
      v.setUint32(ptrsPtr + i * 4, at, true);
      mem.set(s, at);
      at += s.length;
    });
    return ERRNO_SUCCESS;
  };
  const writeSizes = (list: Uint8Array[], countPtr: number, sizePtr: number): number => {
    const v = view();
    v.setUint32(countPtr, list.length, true);
    v.setUint32(sizePtr, list.reduce((n, s) => n + s.length, 0), true);
    return ERRNO_SUCCESS;
  };
  /** Gathers a guest iovec array (ptr u32, len u32 each) into one copy. */
  const gather = (iovs: number, iovsLen: number): Uint8Array => {
    const v = view();
    const mem = bytes();
    let total = 0;
    for (let i = 0; i < iovsLen; i++) total += v.getUint32(iovs + i * 8 + 4, true);
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      out.set(mem.subarray(ptr, ptr + len), at);
      at += len;
    }
    return out;
  };

  const wasi: Record<string, (...a: never[]) => number> = {
    args_sizes_get: (countPtr: number, sizePtr: number) => writeSizes(args, countPtr, sizePtr),
    args_get: (argvPtr: number, bufPtr: number) => writeStrings(args, argvPtr, bufPtr),
    environ_sizes_get: (countPtr: number, sizePtr: number) => writeSizes(env, countPtr, sizePtr),
    environ_get: (envPtr: number, bufPtr: number) => writeStrings(env, envPtr, bufPtr),
    clock_time_get: (id: number, _precision: bigint, timePtr: number) => {
      const ns = id === CLOCKID_REALTIME ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
      view().setBigUint64(timePtr, ns, true);
      return ERRNO_SUCCESS;
    },
    fd_prestat_get: (fd: number, ptr: number) => {
      if (fd !== PREOPEN_FD) return ERRNO_BADF;
      const v = view();
      v.setUint8(ptr, 0);
      v.setUint32(ptr + 4, preopenName.length, true);
      return ERRNO_SUCCESS;
    },
    fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
      if (fd !== PREOPEN_FD) return ERRNO_BADF;
      if (len < preopenName.length) return ERRNO_INVAL;
      bytes().set(preopenName, ptr);
      return ERRNO_SUCCESS;
    },
    fd_fdstat_get: (fd: number, ptr: number) => {
      let filetype: number;
      if (fd <= 2) filetype = FILETYPE_CHARACTER_DEVICE;
      else if (fd === PREOPEN_FD) filetype = FILETYPE_DIRECTORY;
      else if (open.has(fd)) filetype = FILETYPE_REGULAR_FILE;
      else return ERRNO_BADF;
      const v = view();
      v.setUint8(ptr, filetype);
      v.setUint16(ptr + 2, open.get(fd)?.append ? FDFLAGS_APPEND : 0, true);
      v.setBigUint64(ptr + 8, ALL_RIGHTS, true);
      v.setBigUint64(ptr + 16, ALL_RIGHTS, true);
      return ERRNO_SUCCESS;
    },
    fd_fdstat_set_flags: (fd: number, flags: number) => {
      const f = open.get(fd);
      if (f) f.append = (flags & FDFLAGS_APPEND) !== 0;
      return f || fd <= 2 ? ERRNO_SUCCESS : ERRNO_BADF;
    },
    path_open: (dirFd: number, _dirFlags: number, pathPtr: number, pathLen: number, oflags: number,
      _rightsBase: bigint, _rightsInheriting: bigint, fdFlags: number, fdPtr: number) => {
      if (dirFd !== PREOPEN_FD) return ERRNO_BADF;
      const path = new TextDecoder().decode(bytes().subarray(pathPtr, pathPtr + pathLen));
      if (path === '' || path.startsWith('/') || path.split('/').includes('..')) return ERRNO_NOTCAPABLE;
      if (oflags & OFLAGS_DIRECTORY) return ERRNO_NOTDIR;
      let file = files.get(path);
      if (!file) {
        if (!(oflags & OFLAGS_CREAT)) return ERRNO_NOENT;
        file = new MemoryFile();
        files.set(path, file);
      } else if (oflags & OFLAGS_EXCL) {
        return ERRNO_EXIST;
      }
      if (oflags & OFLAGS_TRUNC) file.length = 0;
      const fd = nextFd++;
      open.set(fd, { file, position: 0, append: (fdFlags & FDFLAGS_APPEND) !== 0 });
      view().setUint32(fdPtr, fd, true);
      return ERRNO_SUCCESS;
    },
    fd_write: (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) => {
      const data = gather(iovs, iovsLen);
      if (outputBytes + data.length > maxOutputBytes) return ERRNO_FBIG;
      outputBytes += data.length;
      if (fd === 1 || fd === 2) {
        (fd === 1 ? stdout : stderr).push(data);
      } else {
        const f = open.get(fd);
        if (!f) return ERRNO_BADF;
        if (f.append) f.position = f.file.length;
        f.file.ensure(f.position + data.length);
        f.file.bytes.set(data, f.position);
        f.position += data.length;
        f.file.length = Math.max(f.file.length, f.position);
      }
      view().setUint32(nwrittenPtr, data.length, true);
      return ERRNO_SUCCESS;
    },
    fd_read: (fd: number, _iovs: number, _iovsLen: number, nreadPtr: number) => {
      if (fd !== 0 && !open.has(fd)) return ERRNO_BADF;
      // stdin is empty and our files are write-only from the guest's view: every read is at end of file.
      view().setUint32(nreadPtr, 0, true);
      return ERRNO_SUCCESS;
    },
    fd_seek: (fd: number, offset: bigint, whence: number, newOffsetPtr: number) => {
      const f = open.get(fd);
      if (!f) return fd <= 2 ? ERRNO_SPIPE : ERRNO_BADF;
      const base = whence === WHENCE_SET ? 0 : whence === WHENCE_CUR ? f.position : whence === WHENCE_END ? f.file.length : -1;
      const target = base + Number(offset);
      if (base < 0 || target < 0) return ERRNO_INVAL;
      f.position = target;
      view().setBigUint64(newOffsetPtr, BigInt(target), true);
      return ERRNO_SUCCESS;
    },
    fd_close: (fd: number) => (open.delete(fd) || fd <= PREOPEN_FD ? ERRNO_SUCCESS : ERRNO_BADF),
    proc_exit: (code: number) => {
      throw new ProcExit(code);
    },
  };

  const imports: Record<string, unknown> = {};
  for (const imp of wasmApi.Module.imports(module)) {
    if (imp.module === 'wasi_snapshot_preview1' && imp.kind === 'function') {
      imports[imp.name] = wasi[imp.name] ?? (() => ERRNO_NOSYS);
    }
  }
  const instance = new wasmApi.Instance(module, { wasi_snapshot_preview1: imports });
  guest.memory = instance.exports.memory as WasmMemory;
  const start = instance.exports._start as () => void;
  let exitCode = 0;
  try {
    start();
  } catch (e) {
    if (!(e instanceof ProcExit)) throw e;
    exitCode = e.code;
  }
  const decode = (chunks: Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');
  const written = new Map<string, Uint8Array>();
  for (const [path, file] of files) written.set(path, file.contents());
  return { exitCode, stdout: decode(stdout), stderr: decode(stderr), files: written };
}
