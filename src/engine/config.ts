/**
 * Settings, as data: every CONFIG parameter the engine has, with its type, default and limits. CONFIG GET
 * / SET (commands/admin.ts) read this table; the engine reads typed fields (`notifyMask`, `hz` …) so hot
 * paths never parse text.
 */
import { formatNotifyFlags, parseNotifyFlags } from './notify.js';

export type ParamType = 'int' | 'bool' | 'enum' | 'string' | 'memory' | 'flags';

export interface Param {
  name: string;
  type: ParamType;
  default: string;
  /** Allowed values for enums. */
  values?: string[];
  min?: number;
  max?: number;
  /** Other names Redis accepts for it (e.g. hash-max-ziplist-entries). */
  aliases?: string[];
}

export const PARAMS: Param[] = [
  { name: 'hz', type: 'int', default: '10', min: 0, max: 2147483647 },
  { name: 'notify-keyspace-events', type: 'flags', default: '' },
  { name: 'maxmemory', type: 'memory', default: '0', min: 0 },
  {
    name: 'maxmemory-policy',
    type: 'enum',
    default: 'noeviction',
    values: [
      'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
      'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction',
    ],
  },
  { name: 'maxmemory-samples', type: 'int', default: '5', min: 1, max: 64 },
  { name: 'lfu-log-factor', type: 'int', default: '10', min: 0, max: 2147483647 },
  { name: 'lfu-decay-time', type: 'int', default: '1', min: 0, max: 2147483647 },
  { name: 'proto-max-bulk-len', type: 'memory', default: '536870912', min: 1048576 },
  { name: 'hash-max-listpack-entries', type: 'int', default: '128', min: 0, aliases: ['hash-max-ziplist-entries'] },
  { name: 'hash-max-listpack-value', type: 'int', default: '64', min: 0, aliases: ['hash-max-ziplist-value'] },
  { name: 'list-max-listpack-size', type: 'int', default: '-2', min: -2147483648, aliases: ['list-max-ziplist-size'] },
  { name: 'list-compress-depth', type: 'int', default: '0', min: 0 },
  { name: 'set-max-intset-entries', type: 'int', default: '512', min: 0 },
  { name: 'zset-max-listpack-entries', type: 'int', default: '128', min: 0, aliases: ['zset-max-ziplist-entries'] },
  { name: 'zset-max-listpack-value', type: 'int', default: '64', min: 0, aliases: ['zset-max-ziplist-value'] },
  { name: 'appendfsync', type: 'enum', default: 'everysec', values: ['always', 'everysec', 'no'] },
  { name: 'stop-writes-on-bgsave-error', type: 'bool', default: 'yes' },
  { name: 'databases', type: 'int', default: '16', min: 1 },
  { name: 'maxclients', type: 'int', default: '10000', min: 1 },
  { name: 'timeout', type: 'int', default: '0', min: 0 },
  { name: 'lazyfree-lazy-expire', type: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-user-del', type: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-user-flush', type: 'bool', default: 'no' },
];

const BY_NAME = new Map<string, Param>();
for (const p of PARAMS) {
  BY_NAME.set(p.name, p);
  for (const a of p.aliases ?? []) BY_NAME.set(a, p);
}

export function findParam(name: string): Param | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Parse a memory amount as Redis's memtoull: bytes, or with k/kb/m/mb/g/gb (case-insensitive). */
export function parseMemory(s: string): number | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 ** 3 };
  return n * mul[unit];
}

export class Config {
  private readonly values = new Map<string, string>();
  // Typed mirrors of the values the engine reads on hot paths.
  notifyMask = 0;
  hz = 10;
  maxmemory = 0;

  constructor(initial: Record<string, string> = {}) {
    for (const p of PARAMS) this.values.set(p.name, p.default);
    for (const [k, v] of Object.entries(initial)) {
      const e = this.set(k, v);
      if (e) throw new Error(e);
    }
  }

  get(name: string): string | undefined {
    const p = findParam(name);
    return p ? this.values.get(p.name) : undefined;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  /** Set one parameter. Returns null on success, else the reason (CONFIG SET wraps it in Redis's text). */
  set(name: string, value: string): string | null {
    const p = findParam(name);
    if (!p) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
    let v = value;
    switch (p.type) {
      case 'int': {
        if (!/^-?\d+$/.test(v)) return 'argument couldn\'t be parsed into an integer';
        const n = Number(v);
        if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) {
          return `argument must be between ${p.min} and ${p.max ?? 9223372036854775807n} inclusive`;
        }
        v = String(n);
        break;
      }
      case 'memory': {
        const n = parseMemory(v);
        if (n === null) return 'argument must be a memory value';
        v = String(n);
        break;
      }
      case 'bool': {
        const l = v.toLowerCase();
        if (l !== 'yes' && l !== 'no') return 'argument must be \'yes\' or \'no\'';
        v = l;
        break;
      }
      case 'enum': {
        const l = v.toLowerCase();
        if (!p.values!.includes(l)) return 'argument(s) must be one of the following: ' + p.values!.join(', ');
        v = l;
        break;
      }
      case 'flags': {
        const mask = parseNotifyFlags(v);
        if (mask < 0) return 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.';
        v = formatNotifyFlags(mask);
        this.notifyMask = mask;
        break;
      }
      case 'string':
        break;
    }
    this.values.set(p.name, v);
    if (p.name === 'hz') this.hz = Number(v);
    if (p.name === 'maxmemory') this.maxmemory = Number(v);
    return null;
  }

  /** Every parameter name (canonical) for CONFIG GET pattern matching. */
  names(): string[] {
    return PARAMS.map((p) => p.name);
  }
}
