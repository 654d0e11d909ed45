import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SwitchboardError } from '../common/index.js';
import { configSchema, type ServerConfig } from './schema.js';

/** `rtp.portMin` → `SWB_RTP_PORT_MIN`. */
export function envNameFor(path: string[]): string {
  return 'SWB_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

type Shape = Record<string, z.ZodType>;

/** Unwraps default/optional/prefault/pipe wrappers to the type that judges the value. */
function unwrap(t: z.ZodType): z.ZodType {
  let cur: z.ZodType = t;
  for (let i = 0; i < 8; i++) {
    const def = (cur as unknown as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    const next = def.innerType ?? def.in;
    if (!next) break;
    cur = next;
  }
  return cur;
}

function objectShape(t: z.ZodType): Shape | undefined {
  const inner = unwrap(t);
  return inner instanceof z.ZodObject ? (inner.shape as Shape) : undefined;
}

/**
 * Env values are strings; numbers, booleans and JSON are converted so the schema can judge them, and a list
 * setting takes a comma-separated value ("udp,tcp" or just "udp").
 */
function coerceEnv(raw: string, type: z.ZodType): unknown {
  const s = raw.trim();
  if (unwrap(type) instanceof z.ZodArray && !s.startsWith('[')) return s.split(',').map((x) => x.trim()).filter(Boolean);
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  if (s.startsWith('[') || s.startsWith('{')) {
    try {
      return JSON.parse(s);
    } catch {
      return raw;
    }
  }
  return raw;
}

function applyEnv(target: Record<string, unknown>, shape: Shape, env: NodeJS.ProcessEnv, path: string[]): void {
  for (const [key, type] of Object.entries(shape)) {
    const keyPath = [...path, key];
    const inner = objectShape(type);
    if (inner) {
      const sub = (typeof target[key] === 'object' && target[key] !== null ? target[key] : {}) as Record<string, unknown>;
      applyEnv(sub, inner, env, keyPath);
      if (Object.keys(sub).length > 0) target[key] = sub;
      continue;
    }
    const value = env[envNameFor(keyPath)];
    if (value !== undefined) target[key] = coerceEnv(value, type);
  }
}

export interface LoadConfigOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Record<string, unknown>;
}

/**
 * Loads the config: file (YAML or JSON) < environment (SWB_*) < overrides; validates everything at once and
 * freezes it. A bad value throws SWB_ERR_CONFIG_INVALID naming every offending key.
 */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<ServerConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.SWB_CONFIG;
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new SwitchboardError('SWB_ERR_CONFIG_FILE', `cannot read config file ${file}: ${(e as Error).message}`);
    }
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        throw new Error('top level must be a mapping');
      }
      raw = (parsed ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new SwitchboardError('SWB_ERR_CONFIG_FILE', `cannot parse config file ${file}: ${(e as Error).message}`);
    }
  }
  applyEnv(raw, configSchema.shape as unknown as Shape, env, []);
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    const cur = raw[k];
    raw[k] = typeof v === 'object' && v && !Array.isArray(v) && typeof cur === 'object' && cur ? { ...cur, ...v } : v;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = i.path.join('.') || '(root)';
      return `${key} (${envNameFor(i.path.map(String))}): ${i.message}`;
    });
    throw new SwitchboardError('SWB_ERR_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
