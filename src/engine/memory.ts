/**
 * Memory accounting: how many bytes Redis 7.0 (64-bit, jemalloc) would allocate for the same data, per key
 * (MEMORY USAGE) and in all (used_memory, which maxmemory and eviction compare against).
 *
 * Why Redis's bytes and not the JS heap's: a worker cannot measure what one key costs in V8, and a
 * maxmemory sized for Redis should mean the same here. The figures follow Redis's structures (robj, sds
 * headers, dict entries and buckets, listpacks, quicklist nodes, intsets, skiplist nodes) rounded up to
 * jemalloc's size classes, so small values come out byte for byte as Redis reports them; the JS heap itself
 * holds more.
 *
 * Rules:
 * - MEMORY USAGE is Redis's objectComputeSize + the key's sds + its dictEntry; hashtable, skiplist and
 *   quicklist values are sampled (the first `samples` elements or nodes, scaled to the whole) as Redis does;
 * - a collection family may implement CollectionValue.memoryUsage(samples) (O(samples)); otherwise the value
 *   is read through serialize() (O(n)), and the running total below keeps a per-element average that it
 *   refreshes only when the size doubles or halves or after n/4 changes, so writes stay amortised O(1);
 * - the running total is kept per dict from Engine.onKeyModified (every change reaches it). A dict whose
 *   key count disagrees with the tally (FLUSHDB, a load that did not signal) is recounted whole once.
 *   Tracking starts the first time anything asks (maxmemory set, MEMORY STATS, INFO), so an engine that
 *   never asks pays nothing per write.
 */
import { stringEncoding } from './commands/string.js';
import type { Engine } from './engine.js';
import { ObjType, type CollectionValue, type Db, type Entry, type OrderedDict } from './keyspace.js';
import { formatDouble17, parseI64 } from './numbers.js';

/** Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES: MEMORY USAGE without SAMPLES. */
export const DEFAULT_SAMPLES = 5;

/**
 * What an empty Redis 7.0.15 reports as used_memory_startup (its own structures, shared objects, the Lua
 * VM). Counted here too so that maxmemory leaves the same room for data as on Redis.
 */
export const STARTUP_BYTES = 876224;

// Sizes of Redis's structures on 64-bit builds.
const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;
const PTR = 8;
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;
const ZSET = 16;
const ZSKIPLIST = 32;
const INTSET_HEADER = 8;
/** Listpack header (total bytes + element count) and end byte. */
const LP_EMPTY = 7;
/** Redis's SIZE_ESTIMATE_OVERHEAD and SIZE_SAFETY_LIMIT (quicklist.c). */
const QL_SIZE_ESTIMATE_OVERHEAD = 8;
const QL_SIZE_SAFETY_LIMIT = 8192;
const QL_OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** sdsMakeRoomFor stops doubling at SDS_MAX_PREALLOC. */
const SDS_MAX_PREALLOC = 1024 * 1024;

/** jemalloc's size class for a request of `n` bytes (8, 16 … 128 by 16, then four classes per doubling). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** Header bytes of an sds of `len` bytes (sdsReqType; type 5 has a one-byte header). */
function sdsHeader(len: number): number {
  if (len < 32) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  if (len < 2 ** 32) return 9;
  return 17;
}

/** Allocation of an sds made by sdsnewlen (exact length): sdsZmallocSize. An empty one is type 8. */
export function sdsAlloc(len: number): number {
  return jemallocSize((len === 0 ? 3 : sdsHeader(len)) + len + 1);
}

/** Allocation of an sds grown by sdsMakeRoomFor (APPEND, SETRANGE): doubled below 1MB, else +1MB. */
function sdsGreedyAlloc(len: number): number {
  const cap = len < SDS_MAX_PREALLOC ? len * 2 : len + SDS_MAX_PREALLOC;
  return jemallocSize(Math.max(3, sdsHeader(cap)) + cap + 1);
}

/** Buckets of a dict holding `n` entries: 0 when empty, else the power of two ≥ n, at least 4. */
export function dictSlots(n: number): number {
  if (n === 0) return 0;
  let s = 4;
  while (s < n) s *= 2;
  return s;
}

/** Bytes of one listpack entry (encoding + data + back-length) for a string element. */
export function listpackEntryBytes(s: string): number {
  let enc: number;
  const v = s.length <= 20 ? parseI64(s) : null;
  if (v !== null) {
    if (v >= 0 && v <= 127) enc = 1;
    else if (v >= -4096 && v <= 4095) enc = 2;
    else if (v >= -32768 && v <= 32767) enc = 3;
    else if (v >= -8388608 && v <= 8388607) enc = 4;
    else if (v >= -2147483648 && v <= 2147483647) enc = 5;
    else enc = 9;
  } else if (s.length < 64) enc = 1 + s.length;
  else if (s.length < 4096) enc = 2 + s.length;
  else enc = 5 + s.length;
  return enc + backlenBytes(enc);
}

function backlenBytes(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** A score as a zset listpack stores it (Redis's d2string: integers as integers, else %.17g). */
function scoreText(score: number): string {
  if (Number.isInteger(score) && Math.abs(score) < 2 ** 63) return Object.is(score, -0) ? '-0' : score.toFixed(0);
  return formatDouble17(score);
}

/**
 * Expected allocation of a skiplist node (24 bytes + 16 per level), over zslRandomLevel's distribution
 * (p = 1/4, at most 32 levels): the families do not expose node levels, Redis samples real ones.
 */
const ZSL_NODE_AVG = (() => {
  let sum = 0;
  let p = 0.75;
  for (let level = 1; level < 32; level++, p /= 4) sum += p * jemallocSize(24 + 16 * level);
  return sum + (p / 0.75) * jemallocSize(24 + 16 * 32);
})();
const ZSL_HEADER = jemallocSize(24 + 16 * 32);

/** Flat elements of a collection's serialize() output: the families' shapes, an encoding tag first. */
function elementsOf(v: CollectionValue): unknown[] {
  const data = v.serialize();
  if (!Array.isArray(data)) return [];
  return typeof data[0] === 'number' ? data.slice(1) : data;
}

const str = (x: unknown): string => (typeof x === 'string' ? x : String(x));

/** Options of the estimate that come from the config. */
export interface SizeOptions {
  /** list-max-listpack-size. */
  listFill: number;
}

/**
 * Redis's objectComputeSize for a collection: its structures, and its elements sampled up to `samples`
 * (Infinity = all). Uses the family's own memoryUsage when it has one.
 */
export function collectionUsage(type: ObjType, v: CollectionValue, samples: number, opts: SizeOptions): number {
  if (v.memoryUsage !== undefined) return v.memoryUsage(samples);
  const n = v.size;
  const enc = v.encoding;
  const items = elementsOf(v);
  switch (enc) {
    case 'listpack': {
      let bytes = LP_EMPTY;
      for (let i = 0; i < items.length; i++) {
        const x = items[i];
        bytes += listpackEntryBytes(typeof x === 'number' ? scoreText(x) : str(x));
      }
      return ROBJ + jemallocSize(bytes);
    }
    case 'intset': {
      let width = 2;
      for (const m of items) {
        const x = parseI64(str(m));
        if (x === null) continue;
        if (x < -2147483648 || x > 2147483647) width = 8;
        else if ((x < -32768 || x > 32767) && width < 4) width = 4;
      }
      return ROBJ + jemallocSize(INTSET_HEADER + n * width);
    }
    case 'quicklist':
      return ROBJ + QUICKLIST + quicklistNodes(items, samples, opts.listFill);
    case 'hashtable': {
      const group = type === ObjType.Hash ? 2 : 1;
      let sum = 0;
      let seen = 0;
      for (let i = 0; i + group <= items.length && seen < samples; i += group, seen++) {
        sum += DICT_ENTRY + sdsAlloc(str(items[i]).length);
        if (group === 2) sum += sdsAlloc(str(items[i + 1]).length);
      }
      const base = ROBJ + DICT + PTR * dictSlots(n);
      return seen === 0 ? base : Math.floor(base + (sum / seen) * n);
    }
    case 'skiplist': {
      let sum = 0;
      let seen = 0;
      for (let i = 0; i + 2 <= items.length && seen < samples; i += 2, seen++) {
        sum += sdsAlloc(str(items[i]).length) + DICT_ENTRY + ZSL_NODE_AVG;
      }
      const base = ROBJ + ZSET + ZSKIPLIST + DICT + PTR * dictSlots(n) + ZSL_HEADER;
      return seen === 0 ? base : Math.floor(base + (sum / seen) * n);
    }
    default: {
      // A type without a Redis layout here (streams): its bytes and a pointer per element.
      let sum = ROBJ;
      for (const x of items) sum += (typeof x === 'string' ? x.length : 8) + PTR;
      return sum;
    }
  }
}

/**
 * A quicklist's nodes: elements packed into listpacks as quicklist.c's _quicklistNodeAllowInsert would fill
 * them (a size limit for a negative fill, a count limit within 8KB otherwise), each a node struct plus its
 * listpack; the first `samples` nodes' average scaled to the node count, as objectComputeSize does.
 */
function quicklistNodes(items: unknown[], samples: number, fill: number): number {
  const sizeLimit = fill < 0 ? (QL_OPTIMIZATION_LEVEL[-fill - 1] ?? -1) : -1;
  let nodes = 0;
  let sampled = 0;
  let sampledBytes = 0;
  let sz = 0;
  let count = 0;
  const close = () => {
    nodes++;
    if (sampled < samples) {
      sampled++;
      sampledBytes += QUICKLIST_NODE + jemallocSize(sz);
    }
  };
  for (const x of items) {
    const s = str(x);
    if (count > 0) {
      const newSz = sz + s.length + QL_SIZE_ESTIMATE_OVERHEAD;
      const fits =
        sizeLimit > 0 ? newSz <= sizeLimit : newSz <= QL_SIZE_SAFETY_LIMIT && fill >= 0 && count < fill;
      if (!fits) {
        close();
        count = 0;
      }
    }
    if (count === 0) sz = LP_EMPTY;
    sz += listpackEntryBytes(s);
    count++;
  }
  if (count > 0) close();
  if (nodes === 0) return 0;
  return sampledBytes / sampled * nodes;
}

/** Redis's objectComputeSize for a string value. */
function stringUsage(e: Entry): number {
  const v = e.value as string;
  switch (stringEncoding(e)) {
    case 'int':
      return ROBJ;
    case 'embstr':
      // robj and sdshdr8 in one allocation.
      return jemallocSize(ROBJ + 3 + v.length + 1);
    default:
      return ROBJ + (e.raw ? sdsGreedyAlloc(v.length) : sdsAlloc(v.length));
  }
}

/** Bytes of a key's value (objectComputeSize). */
export function valueUsage(e: Entry, samples: number, opts: SizeOptions): number {
  if (e.type === ObjType.String) return stringUsage(e);
  return Math.floor(collectionUsage(e.type, e.value as CollectionValue, samples, opts));
}

/** MEMORY USAGE: the value, the key's sds and its entry in the keyspace dict. */
export function keyUsage(e: Entry, samples: number, opts: SizeOptions): number {
  return valueUsage(e, samples, opts) + sdsAlloc(e.key.length) + DICT_ENTRY;
}

/** Fixed part of a collection's size for `n` elements (structures that do not scale per element). */
function fixedPart(type: ObjType, enc: string, n: number): number {
  switch (enc) {
    case 'hashtable':
      return ROBJ + DICT + PTR * dictSlots(n);
    case 'skiplist':
      return ROBJ + ZSET + ZSKIPLIST + DICT + PTR * dictSlots(n) + ZSL_HEADER;
    case 'quicklist':
      return ROBJ + QUICKLIST;
    default:
      return type === ObjType.String ? 0 : ROBJ;
  }
}

/** A collection's cached per-element cost, for the running total. */
interface Estimate {
  enc: string;
  n: number;
  perElem: number;
  changes: number;
}

/** Collections up to this size are always measured whole (cheap, and exact for listpacks). */
const ALWAYS_MEASURE = 16;

/** One dict's tally: bytes per key and their sum. */
interface Tally {
  sizes: Map<string, number>;
  total: number;
}

/** One db's line in MEMORY STATS. */
export interface DbOverhead {
  id: number;
  /** overhead.hashtable.main: dict entries, buckets and a robj per key. */
  main: number;
  /** overhead.hashtable.expires. */
  expires: number;
}

/** Redis's redisMemOverhead: what MEMORY STATS, MEMORY DOCTOR and INFO memory report. */
export interface MemoryOverhead {
  peakAllocated: number;
  totalAllocated: number;
  startupAllocated: number;
  dbs: DbOverhead[];
  overheadTotal: number;
  totalKeys: number;
  bytesPerKey: number;
  dataset: number;
  /** Percentages as Redis computes them (C floats). */
  datasetPerc: number;
  peakPerc: number;
}

export class Memory {
  private readonly tallies = new WeakMap<OrderedDict<Entry>, Tally>();
  private readonly estimates = new WeakMap<CollectionValue, Estimate>();
  private active = false;
  private peak = 0;

  constructor(private readonly engine: Engine) {
    engine.onKeyModified((db, key) => {
      if (this.active) this.update(db, key);
    });
  }

  private options(): SizeOptions {
    return { listFill: this.engine.config.getInt('list-max-listpack-size') };
  }

  /**
   * used_memory: the start-up figure, every key (as `tracked`), and the buckets of every db's dicts.
   * O(databases) once tracking runs; the first call counts every key.
   */
  usedMemory(): number {
    this.active = true;
    let total = STARTUP_BYTES;
    for (const db of this.engine.dbs) {
      total += this.tally(db).total + PTR * (dictSlots(db.dict.size) + dictSlots(db.expires.size));
    }
    if (total > this.peak) this.peak = total;
    return total;
  }

  /** used_memory_peak (highest usedMemory seen). */
  peakMemory(): number {
    return Math.max(this.peak, this.usedMemory());
  }

  /**
   * Bytes the running total counts for a key: its MEMORY USAGE (collections by the cached estimate) and its
   * entry in the expires dict when it has a TTL. 0 when absent.
   */
  keyBytes(db: Db, key: string): number {
    this.active = true;
    return this.tally(db).sizes.get(key) ?? 0;
  }

  /** MEMORY USAGE key [SAMPLES n]: Redis's figure for a present entry (`samples` Infinity = all). */
  usage(e: Entry, samples: number): number {
    return keyUsage(e, samples, this.options());
  }

  /** Redis's getMemoryOverheadData. */
  overhead(): MemoryOverhead {
    const total = this.usedMemory();
    const dbs: DbOverhead[] = [];
    let overheadTotal = STARTUP_BYTES;
    let totalKeys = 0;
    for (const db of this.engine.dbs) {
      const n = db.dict.size;
      if (n === 0) continue;
      const x = db.expires.size;
      const main = n * DICT_ENTRY + dictSlots(n) * PTR + n * ROBJ;
      const expires = x * DICT_ENTRY + dictSlots(x) * PTR;
      dbs.push({ id: db.id, main, expires });
      overheadTotal += main + expires;
      totalKeys += n;
    }
    const net = total > STARTUP_BYTES ? total - STARTUP_BYTES : 1;
    const dataset = total - overheadTotal;
    return {
      peakAllocated: this.peak,
      totalAllocated: total,
      startupAllocated: STARTUP_BYTES,
      dbs,
      overheadTotal,
      totalKeys,
      bytesPerKey: totalKeys > 0 ? Math.floor(net / totalKeys) : 0,
      dataset,
      datasetPerc: Math.fround((dataset * 100) / net),
      peakPerc: Math.fround((total * 100) / this.peak),
    };
  }

  /** The tally of a db's dict, recounted whole when its key count disagrees (see the file's rules). */
  private tally(db: Db): Tally {
    let t = this.tallies.get(db.dict);
    if (t === undefined || t.sizes.size !== db.dict.size) {
      t = { sizes: new Map(), total: 0 };
      const opts = this.options();
      for (const e of db.dict.values()) {
        const b = this.tracked(e, opts);
        t.sizes.set(e.key, b);
        t.total += b;
      }
      this.tallies.set(db.dict, t);
    }
    return t;
  }

  private update(db: Db, key: string): void {
    const t = this.tallies.get(db.dict);
    if (t === undefined) return; // counted whole when next asked
    const old = t.sizes.get(key) ?? 0;
    const e = db.dict.get(key);
    if (e === undefined) {
      t.sizes.delete(key);
      t.total -= old;
      return;
    }
    const b = this.tracked(e, this.options());
    t.sizes.set(key, b);
    t.total += b - old;
  }

  /** What the running total counts for an entry. */
  private tracked(e: Entry, opts: SizeOptions): number {
    const ttl = e.expireAt !== 0 ? DICT_ENTRY : 0;
    const keyPart = sdsAlloc(e.key.length) + DICT_ENTRY + ttl;
    if (e.type === ObjType.String) return keyPart + stringUsage(e);
    const v = e.value as CollectionValue;
    if (v.memoryUsage !== undefined) return keyPart + Math.floor(v.memoryUsage(DEFAULT_SAMPLES));
    const n = v.size;
    const enc = v.encoding;
    const c = this.estimates.get(v);
    if (
      c !== undefined && n > ALWAYS_MEASURE && c.enc === enc && n <= 2 * c.n && 2 * n >= c.n &&
      c.changes < Math.max(ALWAYS_MEASURE, c.n >> 2)
    ) {
      c.changes++;
      return keyPart + Math.floor(fixedPart(e.type, enc, n) + n * c.perElem);
    }
    const full = Math.floor(collectionUsage(e.type, v, Infinity, opts));
    const perElem = n > 0 ? (full - fixedPart(e.type, enc, n)) / n : 0;
    this.estimates.set(v, { enc, n, perElem, changes: 0 });
    return keyPart + full;
  }
}
