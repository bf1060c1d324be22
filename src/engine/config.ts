/**
 * Settings, as data: every CONFIG parameter the engine has, with its type, default and limits as Redis 7.0.15
 * declares them (config.c). CONFIG GET / SET (commands/admin.ts) read this table; the engine reads typed
 * fields (`notifyMask`, `hz` …) so hot paths never parse text.
 *
 * Rules:
 * - a parameter is listed only when tabhive honours it, a layer reads it, or it describes tabhive truthfully
 *   (`databases`, `port`, `cluster-enabled`); what tabhive cannot change is immutable, and CONFIG SET says so
 *   in Redis's words;
 * - an alias is a name of its own as in Redis (CONFIG GET `*ziplist*` lists the aliases, an error names the
 *   alias it was given), over the same value;
 * - parsing and limits follow config.c: integers by string2ll, memory amounts by memtoull, unsigned types
 *   see a negative number as its two's complement (so `-1` is "between 0 and …"), booleans and enums
 *   case-insensitively.
 */
import { formatNotifyFlags, parseNotifyFlags } from './notify.js';

export type ParamType = 'int' | 'bool' | 'enum' | 'string' | 'memory' | 'flags';

export interface Param {
  name: string;
  type: ParamType;
  default: string;
  /** Allowed values for enums, in Redis's order (the error lists them so). */
  values?: string[];
  /** Bounds for int/memory (inclusive); bigint where beyond 2^53. Absent: the C type's range. */
  min?: number | bigint;
  max?: number | bigint;
  /** The C type is unsigned (uint, size_t, unsigned long long): negatives wrap before the bounds check. */
  unsigned?: boolean;
  /** Other names Redis accepts for it (e.g. hash-max-ziplist-entries). */
  aliases?: string[];
  /** CONFIG SET refuses it ("can't set immutable config"); the constructor may still set it. */
  immutable?: boolean;
  /** Normalise a value after it passed the checks (Redis's apply step: hz is kept within 1..500). */
  apply?: (v: bigint) => bigint;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

const MAXMEMORY_POLICIES = [
  'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction',
];

export const PARAMS: Param[] = [
  // Server, clients, expiry.
  { name: 'databases', type: 'int', default: '16', min: 1, max: INT_MAX, immutable: true },
  // 0: not listening on TCP (the browser); `tabhive serve` passes its port.
  { name: 'port', type: 'int', default: '0', min: 0, max: 65535, immutable: true },
  { name: 'cluster-enabled', type: 'bool', default: 'no', immutable: true },
  {
    name: 'hz', type: 'int', default: '10', min: 0, max: INT_MAX,
    apply: (v) => (v < 1n ? 1n : v > 500n ? 500n : v),
  },
  { name: 'active-expire-effort', type: 'int', default: '1', min: 1, max: 10 },
  { name: 'maxclients', type: 'int', default: '10000', min: 1, max: UINT_MAX, unsigned: true },
  { name: 'timeout', type: 'int', default: '0', min: 0, max: INT_MAX },
  { name: 'notify-keyspace-events', type: 'flags', default: '' },
  { name: 'proto-max-bulk-len', type: 'memory', default: '536870912', min: 1048576, max: LONG_MAX },
  // Memory and eviction.
  { name: 'maxmemory', type: 'memory', default: '0', min: 0, max: ULLONG_MAX, unsigned: true },
  { name: 'maxmemory-policy', type: 'enum', default: 'noeviction', values: MAXMEMORY_POLICIES },
  { name: 'maxmemory-samples', type: 'int', default: '5', min: 1, max: INT_MAX },
  { name: 'maxmemory-eviction-tenacity', type: 'int', default: '10', min: 0, max: 100 },
  { name: 'lfu-log-factor', type: 'int', default: '10', min: 0, max: INT_MAX },
  { name: 'lfu-decay-time', type: 'int', default: '1', min: 0, max: INT_MAX },
  { name: 'lazyfree-lazy-eviction', type: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-expire', type: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-server-del', type: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-user-del', type: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-user-flush', type: 'bool', default: 'no' },
  // Encodings.
  {
    name: 'hash-max-listpack-entries', type: 'int', default: '512', min: 0, max: LONG_MAX, unsigned: true,
    aliases: ['hash-max-ziplist-entries'],
  },
  {
    name: 'hash-max-listpack-value', type: 'memory', default: '64', min: 0, max: LONG_MAX, unsigned: true,
    aliases: ['hash-max-ziplist-value'],
  },
  {
    name: 'list-max-listpack-size', type: 'int', default: '-2', min: INT_MIN, max: INT_MAX,
    aliases: ['list-max-ziplist-size'],
  },
  { name: 'list-compress-depth', type: 'int', default: '0', min: 0, max: INT_MAX },
  { name: 'set-max-intset-entries', type: 'int', default: '512', min: 0, max: LONG_MAX, unsigned: true },
  {
    name: 'zset-max-listpack-entries', type: 'int', default: '128', min: 0, max: LONG_MAX, unsigned: true,
    aliases: ['zset-max-ziplist-entries'],
  },
  {
    name: 'zset-max-listpack-value', type: 'memory', default: '64', min: 0, max: LONG_MAX, unsigned: true,
    aliases: ['zset-max-ziplist-value'],
  },
  { name: 'stream-node-max-bytes', type: 'memory', default: '4096', min: 0, max: LONG_MAX, unsigned: true },
  { name: 'stream-node-max-entries', type: 'int', default: '100', min: 0, max: LONG_MAX },
  { name: 'hll-sparse-max-bytes', type: 'memory', default: '3000', min: 0, max: LONG_MAX, unsigned: true },
  // Persistence (the IndexedDB layer reads these).
  { name: 'appendfsync', type: 'enum', default: 'everysec', values: ['everysec', 'always', 'no'] },
  { name: 'stop-writes-on-bgsave-error', type: 'bool', default: 'yes' },
];

/** Every accepted name (canonical and aliases, lower-case) → its parameter. */
const BY_NAME = new Map<string, Param>();
for (const p of PARAMS) {
  BY_NAME.set(p.name, p);
  for (const a of p.aliases ?? []) BY_NAME.set(a, p);
}

export function findParam(name: string): Param | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name CONFIG GET patterns are matched against: canonical names and aliases, as Redis's config dict. */
export function paramNames(): string[] {
  return [...BY_NAME.keys()];
}

const TWO64 = 1n << 64n;

/**
 * Redis's memtoull as a bigint: digits, then nothing or a unit b/k/kb/m/mb/g/gb (any case); null when
 * invalid. As in C, no digits count as 0 and an overflowing number saturates then wraps with the unit.
 */
export function parseMemoryBig(s: string): bigint | null {
  const m = /^(\d*)(.*)$/s.exec(s)!;
  const mul: Record<string, bigint> = {
    '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
  };
  const unit = mul[m[2].toLowerCase()];
  if (unit === undefined || m[1].length >= 128) return null;
  let n = m[1] === '' ? 0n : BigInt(m[1]);
  if (n >= TWO64) n = TWO64 - 1n;
  return (n * unit) % TWO64;
}

/** A memory amount as a number (bytes), or null when invalid (see parseMemoryBig). */
export function parseMemory(s: string): number | null {
  const v = parseMemoryBig(s);
  return v === null ? null : Number(v);
}

/** Redis's string2ll as a bigint. */
function string2ll(s: string): bigint | null {
  if (!/^(?:0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const v = BigInt(s);
  return v < -(1n << 63n) || v > (1n << 63n) - 1n ? null : v;
}

/** Bounds of a parameter as bigints (the C type's range when unspecified). */
function bounds(p: Param): [bigint, bigint] {
  return [BigInt(p.min ?? (p.unsigned ? 0 : -(2 ** 63))), BigInt(p.max ?? (p.unsigned ? ULLONG_MAX : LONG_MAX))];
}

export class Config {
  private readonly values = new Map<string, string>();
  // Typed mirrors of the values the engine reads on hot paths.
  notifyMask = 0;
  hz = 10;
  maxmemory = 0;
  /** maxmemory-policy is an LFU one (allkeys-lfu, volatile-lfu): lookups keep Entry.freq (see lfu.ts). */
  lfu = false;
  /** Told of each value stored at run time (see onChange). */
  private readonly changeListeners: ((name: string) => void)[] = [];

  /**
   * Tell `l` of every value stored at run time (not start-up values), with the canonical name, after it is
   * stored, in the order listeners were added: the engine's apply step for parameters that act at once
   * (maxmemory evicts, as Redis's updateMaxmemory), then persistence, near-cache tracking, replication.
   */
  onChange(l: (name: string) => void): void {
    this.changeListeners.push(l);
  }

  /** Start-up values may set immutable parameters too (as redis.conf and the command line do). */
  constructor(initial: Record<string, string> = {}) {
    for (const p of PARAMS) this.values.set(p.name, p.default);
    for (const [k, v] of Object.entries(initial)) {
      const p = findParam(k);
      if (!p) throw new Error(`Unknown option or number of arguments for CONFIG SET - '${k}'`);
      const r = this.check(p, v);
      if (!r.ok) throw new Error(`${k}: ${r.err}`);
      this.store(p, r.value);
    }
  }

  get(name: string): string | undefined {
    const p = findParam(name);
    return p ? this.values.get(p.name) : undefined;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  /**
   * Set one parameter. Returns null on success, else the reason as CONFIG SET words it after "CONFIG SET
   * failed (possibly related to argument '…') - " (or the whole text for an unknown name).
   */
  set(name: string, value: string): string | null {
    const p = findParam(name);
    if (!p) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
    if (p.immutable) return "can't set immutable config";
    const r = this.check(p, value);
    if (!r.ok) return r.err;
    this.store(p, r.value);
    return null;
  }

  /**
   * Validate a value for `p` without storing it: the normalised text to store, or Redis's reason. CONFIG SET
   * checks every pair first so that a multi-set is all or nothing.
   */
  check(p: Param, value: string): { ok: true; value: string } | { ok: false; err: string } {
    switch (p.type) {
      case 'int':
      case 'memory': {
        let v = p.type === 'memory' ? parseMemoryBig(value) : string2ll(value);
        if (v === null) {
          return {
            ok: false,
            err: p.type === 'memory' ? 'argument must be a memory value' : "argument couldn't be parsed into an integer",
          };
        }
        // C keeps the value in a long long: a memory amount ≥ 2^63 is negative for a signed type; a negative
        // number is huge for an unsigned one.
        if (p.unsigned) {
          if (v < 0n) v += TWO64;
        } else if (v >= 1n << 63n) {
          v -= TWO64;
        }
        const [min, max] = bounds(p);
        if (v < min || v > max) return { ok: false, err: `argument must be between ${min} and ${max} inclusive` };
        if (p.apply) v = p.apply(v);
        return { ok: true, value: String(v) };
      }
      case 'bool': {
        const l = value.toLowerCase();
        if (l !== 'yes' && l !== 'no') return { ok: false, err: "argument must be 'yes' or 'no'" };
        return { ok: true, value: l };
      }
      case 'enum': {
        const l = value.toLowerCase();
        if (!p.values!.includes(l)) {
          return { ok: false, err: 'argument(s) must be one of the following: ' + p.values!.join(', ') };
        }
        return { ok: true, value: l };
      }
      case 'flags': {
        const mask = parseNotifyFlags(value);
        if (mask < 0) return { ok: false, err: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
        return { ok: true, value: String(mask) };
      }
      case 'string':
        return { ok: true, value };
    }
  }

  /** Store a value `check` returned, and update the typed mirrors. */
  store(p: Param, v: string): void {
    if (p.type === 'flags') {
      this.notifyMask = Number(v);
      v = formatNotifyFlags(this.notifyMask);
    }
    this.values.set(p.name, v);
    if (p.name === 'hz') this.hz = Number(v);
    if (p.name === 'maxmemory') this.maxmemory = Number(v);
    if (p.name === 'maxmemory-policy') this.lfu = v.endsWith('-lfu');
    for (const l of this.changeListeners) l(p.name);
  }

  /** Every parameter name (canonical). */
  names(): string[] {
    return PARAMS.map((p) => p.name);
  }
}
