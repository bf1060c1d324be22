/**
 * The keyspace: 16 databases, each a dictionary of entries plus the set of entries that have a TTL.
 *
 * Rules the code keeps:
 * - user data never lives in plain objects: every key/field/member container is a Map or Set, so
 *   `__proto__`, `constructor` and `toString` are ordinary keys;
 * - expiry is in absolute ms (`expireAt`, 0 = none); a key past its time is *logically* gone: lookups go
 *   through `Db.lookup`, which deletes it (lazy expiry); the engine's active cycle reclaims untouched ones;
 * - `OrderedDict` keeps entries in insertion order with an insertion sequence number, which gives SCAN its
 *   guarantee (a cursor is the last sequence returned, so entries present for the whole scan are returned at
 *   least once however the dict changes) and O(1) random sampling (RANDOMKEY, eviction, SPOP…).
 */

export const enum ObjType {
  String = 0,
  List = 1,
  Set = 2,
  ZSet = 3,
  Hash = 4,
  Stream = 6,
}

export const TYPE_NAMES: Record<number, string> = {
  [ObjType.String]: 'string',
  [ObjType.List]: 'list',
  [ObjType.Set]: 'set',
  [ObjType.ZSet]: 'zset',
  [ObjType.Hash]: 'hash',
  [ObjType.Stream]: 'stream',
};

/**
 * What every collection value (list, hash, set, zset) implements, so generic commands (OBJECT ENCODING, COPY,
 * MEMORY USAGE, DEBUG) need not know the families.
 */
export interface CollectionValue {
  /**
   * Redis's OBJECT ENCODING for the value now (listpack, quicklist, intset, hashtable, skiplist). Conversions
   * are one-way as in Redis (a hash that became a hashtable stays one when it shrinks), so it is state, kept
   * by the family on every write, not computed from the contents.
   */
  readonly encoding: string;
  /** Number of elements. A command that empties a collection deletes its key. */
  readonly size: number;
  /** A deep copy (COPY, RESTORE of a dump). */
  clone(): CollectionValue;
  /**
   * Plain structured-cloneable data for persistence (IndexedDB) and replication: arrays of binary strings and
   * numbers, nothing else. `revive` of the family (see registerCodec) turns it back, with the same encoding.
   */
  serialize(): unknown;
  /**
   * Optional: Redis 7.0's objectComputeSize for this value in bytes, sampling at most `samples` elements
   * (Infinity = all) as Redis does, in O(samples). Without it memory.ts estimates from serialize(), in O(n);
   * memory.ts exports the building blocks (jemallocSize, sdsAlloc, listpackEntryBytes, dictSlots).
   */
  memoryUsage?(samples: number): number;
}

/** Per-type revivers of CollectionValue.serialize() output; each family registers its own at import. */
const codecs = new Map<ObjType, (data: unknown) => CollectionValue>();

export function registerCodec(type: ObjType, revive: (data: unknown) => CollectionValue): void {
  codecs.set(type, revive);
}

export function reviveValue(type: ObjType, data: unknown): unknown {
  if (type === ObjType.String) return data as string;
  const r = codecs.get(type);
  if (!r) throw new Error(`no codec for type ${type}`);
  return r(data);
}

export function serializeValue(e: Entry): unknown {
  return e.type === ObjType.String ? e.value : (e.value as CollectionValue).serialize();
}

/**
 * One key's value with its metadata. For strings `value` is the binary string itself (no wrapper), for the
 * collection types the family's data structure.
 */
export interface Entry {
  readonly key: string;
  type: ObjType;
  value: unknown;
  /** Absolute expiry time in ms; 0 when the key has no TTL. */
  expireAt: number;
  /** Insertion sequence in its dict (see OrderedDict). */
  seq: number;
  /** Last access time in ms (OBJECT IDLETIME, LRU eviction). */
  atime: number;
  /** LFU counter (OBJECT FREQ, LFU eviction). */
  freq: number;
  /**
   * String encoding hint: true once APPEND/SETRANGE/… made it a raw sds in Redis, which OBJECT ENCODING
   * reports as "raw" whatever its length. Cleared when the value is replaced.
   */
  raw: boolean;
  /**
   * String encoding hint: true when Redis stored the value as a string object that was never int-encoded
   * although it looks like an integer (INCRBYFLOAT's result "11" is "embstr"). Cleared when the value is
   * replaced.
   */
  notInt?: boolean;
  /** Set when deleted: the slot in OrderedDict.order is a hole until compaction. */
  dead: boolean;
}

/** A Map in insertion order with sequence-numbered slots, for stable SCAN cursors and O(1) random picks. */
export class OrderedDict<V extends { seq: number; dead: boolean }> {
  readonly map = new Map<string, V>();
  /** Live and dead slots in increasing seq order. */
  private order: V[] = [];
  private holes = 0;
  private nextSeq = 1;

  get size(): number {
    return this.map.size;
  }

  get(k: string): V | undefined {
    return this.map.get(k);
  }

  has(k: string): boolean {
    return this.map.has(k);
  }

  /** Insert a new item (the key must not be present). */
  add(k: string, v: V): void {
    v.seq = this.nextSeq++;
    v.dead = false;
    this.map.set(k, v);
    this.order.push(v);
  }

  /** Replace the item of a present key in place, keeping its slot. */
  replace(k: string, v: V): void {
    const old = this.map.get(k)!;
    v.seq = old.seq;
    v.dead = false;
    const idx = this.indexOfSeq(old.seq);
    this.order[idx] = v;
    old.dead = true;
    this.map.set(k, v);
  }

  delete(k: string): V | undefined {
    const v = this.map.get(k);
    if (v === undefined) return undefined;
    this.map.delete(k);
    v.dead = true;
    this.holes++;
    if (this.holes > 64 && this.holes > this.order.length >> 1) this.compact();
    return v;
  }

  clear(): void {
    for (const v of this.order) v.dead = true;
    this.map.clear();
    this.order = [];
    this.holes = 0;
  }

  /** A uniformly random live item, or undefined when empty. `rnd` returns [0,1). */
  random(rnd: () => number = Math.random): V | undefined {
    if (this.map.size === 0) return undefined;
    // Holes are at most half of the slots (see delete), so this takes two tries on average.
    for (;;) {
      const v = this.order[Math.floor(rnd() * this.order.length)];
      if (!v.dead) return v;
    }
  }

  /**
   * SCAN step: up to `count` live items with seq > cursor, in seq order, and the next cursor (0 when done).
   * `visit` may return false to stop early without consuming the item.
   */
  scan(cursor: number, count: number, out: V[]): number {
    let i = this.firstAfter(cursor);
    const order = this.order;
    let n = 0;
    let last = cursor;
    while (i < order.length && n < count) {
      const v = order[i++];
      last = v.seq;
      if (v.dead) continue;
      out.push(v);
      n++;
    }
    // Skip trailing holes so a finished scan reports 0 now rather than after one more empty call.
    while (i < order.length && order[i].dead) i++;
    return i >= order.length ? 0 : last;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  private compact(): void {
    this.order = this.order.filter((v) => !v.dead);
    this.holes = 0;
  }

  /** First index whose seq is > cursor (binary search; seqs increase along `order`). */
  private firstAfter(cursor: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid].seq <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOfSeq(seq: number): number {
    return this.firstAfter(seq - 1);
  }
}

/** What a Db needs from the engine: stats and the expiry side effects (notify, WATCH, propagation). */
export interface KeyspaceHost {
  stats: { keyspaceHits: number; keyspaceMisses: number };
  /** A key was reclaimed by expiry (lazy or active): fire `expired`, signal, count, propagate a DEL. */
  expired(db: Db, key: string): void;
  /** A key was created by a command (the `new` keyspace event). */
  added?(db: Db, key: string): void;
  /**
   * False on a replica (issue: many tabs): it hides logically expired keys but deletes nothing itself,
   * waiting for the leader's DEL, as Redis replicas do.
   */
  readonly expireDeletes: boolean;
  /**
   * A lookup touched an entry (Redis's lookupKey, for reads and writes alike, unless NOTOUCH): set its access
   * time and, under an LFU maxmemory-policy, bump its LFU counter. Without it only `atime` is set.
   */
  touch?(e: Entry, now: number): void;
}

export class Db {
  dict = new OrderedDict<Entry>();
  /** Entries with a TTL, for the active expiry cycle. */
  expires = new Set<Entry>();
  /** Keys changed since the persistence layer last drained them (it deletes absent ones). */
  changed = new Set<string>();
  /** Set by FLUSHDB/SWAPDB/MOVE of a whole db: the persistence layer must rewrite this db whole. */
  rewrite = false;
  /** Cursor of the active expiry cycle over `expires`. */
  expireIter: Iterator<Entry> | null = null;

  constructor(
    public id: number,
    private readonly host: KeyspaceHost,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /**
   * Lazy expiry. True when the entry is past its time; the key is then deleted (on a leader) and the
   * caller must treat it as absent.
   */
  expireIfNeeded(e: Entry, now: number): boolean {
    if (e.expireAt === 0 || e.expireAt > now) return false;
    if (this.host.expireDeletes) {
      this.remove(e.key);
      this.host.expired(this, e.key);
    }
    return true;
  }

  /** Lookup for reading: expiry, keyspace hit/miss stats, access time. `touch` false for OBJECT & co. */
  lookupRead(key: string, now: number, touch = true): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined || this.expireIfNeeded(e, now)) {
      this.host.stats.keyspaceMisses++;
      return undefined;
    }
    this.host.stats.keyspaceHits++;
    if (touch) this.touch(e, now);
    return e;
  }

  /** Lookup for writing: expiry and access time, no stats. */
  lookupWrite(key: string, now: number): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined || this.expireIfNeeded(e, now)) return undefined;
    this.touch(e, now);
    return e;
  }

  private touch(e: Entry, now: number): void {
    if (this.host.touch !== undefined) this.host.touch(e, now);
    else e.atime = now;
  }

  /** Lookup with no side effect at all but expiry (KEYS, SCAN filters, DEBUG). */
  peek(key: string, now: number): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined || this.expireIfNeeded(e, now)) return undefined;
    return e;
  }

  /** Add a key that is not present (callers looked it up first). */
  add(key: string, type: ObjType, value: unknown, now: number, loading = false): Entry {
    const e: Entry = {
      key, type, value, expireAt: 0, seq: 0, atime: now, freq: 5, raw: false, notInt: false, dead: false,
    };
    this.dict.add(key, e);
    // Redis's dbAdd fires "new" (class n); loading from storage or a replica stream fires nothing.
    if (!loading) this.host.added?.(this, key);
    return e;
  }

  /**
   * SET-style overwrite: replace the value (and type) of a present key, or add it. The TTL is dropped unless
   * `keepTtl`. Returns the entry.
   */
  setKey(key: string, type: ObjType, value: unknown, now: number, keepTtl = false): Entry {
    const e = this.dict.get(key);
    if (e === undefined) return this.add(key, type, value, now);
    e.type = type;
    e.value = value;
    e.raw = false;
    e.notInt = false;
    e.atime = now;
    if (!keepTtl && e.expireAt !== 0) this.setExpire(e, 0);
    return e;
  }

  /** Delete a key (no expiry check: callers decide). True when it was there. */
  remove(key: string): boolean {
    const e = this.dict.delete(key);
    if (e === undefined) return false;
    if (e.expireAt !== 0) this.expires.delete(e);
    return true;
  }

  /** Set or clear (at = 0) an entry's absolute expiry time in ms. */
  setExpire(e: Entry, at: number): void {
    if (at === 0) {
      if (e.expireAt !== 0) this.expires.delete(e);
    } else if (e.expireAt === 0) {
      this.expires.add(e);
    }
    e.expireAt = at;
  }

  /** Drop every key. */
  clear(): void {
    this.dict.clear();
    this.expires.clear();
    this.expireIter = null;
  }

  /** A random live key (expired ones met on the way are reclaimed, as dbRandomKey does), or undefined. */
  randomKey(now: number, rnd: () => number): Entry | undefined {
    // Bounded: if every key is logically expired on a replica, give one back rather than loop (Redis does
    // the same after 100 tries).
    for (let tries = 0; tries < 100 + this.dict.size; tries++) {
      const e = this.dict.random(rnd);
      if (e === undefined) return undefined;
      if (e.expireAt === 0 || e.expireAt > now) return e;
      if (!this.host.expireDeletes) {
        if (tries >= 100) return e;
        continue;
      }
      this.expireIfNeeded(e, now);
    }
    return undefined;
  }

  /** Swap contents with another db (SWAPDB). */
  swapWith(other: Db): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    this.expireIter = other.expireIter = null;
  }
}
