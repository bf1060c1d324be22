/**
 * Eviction under `maxmemory` (Redis 7.0's evict.c). Before every command, while a limit is set, the
 * dispatcher calls performEvictions(); when used memory (memory.ts) is above the limit it deletes keys chosen
 * by `maxmemory-policy` until enough bytes are freed. If it cannot (noeviction, or nothing to evict) the
 * result is Fail and the dispatcher refuses commands flagged `denyoom` (and everything queued in MULTI but
 * EXEC/DISCARD/QUIT/RESET) with Redis's OOM error; other commands still run.
 *
 * Rules kept from Redis:
 * - LRU, LFU and volatile-ttl are approximated: each round samples `maxmemory-samples` keys from every db
 *   (all keys, or those with a TTL for volatile-*) into a 16-entry pool ordered by score (idle time, 255 −
 *   LFU counter, or nearness of expiry), which persists between rounds; the best entry still present is
 *   evicted. Random policies take a random key, visiting the dbs round-robin;
 * - an evicted key is deleted, counted (evicted_keys), signalled as modified and announced with the
 *   `evicted` keyspace event; it does not count as a change (dirty), as in Redis;
 * - a round stops after `maxmemory-eviction-tenacity`'s time limit (checked every 16 keys) and goes on from
 *   a timer, the command then proceeds (Running, not Fail);
 * - replicas (Engine.expireDeletes false) never evict, as Redis's replica-ignore-maxmemory.
 *
 * Where Redis samples db->expires with dictGetSomeKeys, this samples random keys of the db and keeps those
 * with a TTL while they are at least an eighth of it; sparser TTLs are read from a cursor that walks the
 * expires set (a window with a random skip), since a JS Set has no random access.
 */
import { defaultTimers, type Timers } from './blocking.js';
import type { Engine } from './engine.js';
import type { Db, Entry } from './keyspace.js';
import { lfuDecrAndReturn } from './lfu.js';
import { NotifyClass } from './notify.js';

export const enum EvictResult {
  /** Under the limit (or nothing to do). */
  Ok = 0,
  /** Over the limit, still evicting from a timer: commands proceed. */
  Running = 1,
  /** Over the limit and nothing can be evicted: denyoom commands are refused. */
  Fail = 2,
}

/** Redis's EVPOOL_SIZE. */
const POOL_SIZE = 16;

interface PoolEntry {
  key: string;
  dbid: number;
  /** Higher is a better candidate. */
  score: number;
}

const enum Kind {
  NoEviction,
  Lru,
  Lfu,
  Ttl,
  Random,
}

interface Policy {
  kind: Kind;
  allkeys: boolean;
}

function parsePolicy(name: string): Policy {
  const allkeys = name.startsWith('allkeys-');
  switch (name.slice(name.indexOf('-') + 1)) {
    case 'lru':
      return { kind: Kind.Lru, allkeys };
    case 'lfu':
      return { kind: Kind.Lfu, allkeys };
    case 'ttl':
      return { kind: Kind.Ttl, allkeys };
    case 'random':
      return { kind: Kind.Random, allkeys };
    default:
      return { kind: Kind.NoEviction, allkeys };
  }
}

/** Redis's evictionTimeLimitUs for a tenacity of 0..100 (100: no limit). */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.trunc(500 * 1.15 ** (tenacity - 10));
  return Infinity;
}

const performanceNow: () => number =
  typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

export class Evictor {
  private readonly pool: (PoolEntry | null)[] = new Array<PoolEntry | null>(POOL_SIZE).fill(null);
  /** Round-robin db for the random policies (Redis's static next_db). */
  private nextDb = 0;
  private procRunning = false;
  /** Cursors over sparse expires sets (see the file's note). */
  private readonly cursors = new WeakMap<Set<Entry>, Iterator<Entry>>();
  /** Settings read once per round. */
  private samples = 5;
  private decayTime = 1;
  private now = 0;
  /** Time (engine clock, ms) since when memory has been over the limit; 0 when it is not. */
  private exceededSince = 0;
  /** Milliseconds spent over the limit in finished episodes (total_eviction_exceeded_time). */
  private exceededTotal = 0;

  constructor(
    private readonly engine: Engine,
    private readonly timers: Timers = defaultTimers,
  ) {}

  /**
   * Redis's performEvictions: free memory down to maxmemory if needed and possible. Returns Ok, Running
   * (time limit reached, continuing from a timer) or Fail (over the limit and nothing more to evict).
   */
  performEvictions(): EvictResult {
    const e = this.engine;
    // Replicas mirror their leader and never evict (replica-ignore-maxmemory).
    if (!e.expireDeletes) return EvictResult.Ok;
    const max = e.config.maxmemory;
    const used = max === 0 ? 0 : e.memory.usedMemory();
    if (max === 0 || used <= max) return this.metrics(EvictResult.Ok);
    const policy = parsePolicy(e.config.get('maxmemory-policy')!);
    if (policy.kind === Kind.NoEviction) return this.metrics(EvictResult.Fail);

    const toFree = used - max;
    this.samples = e.config.getInt('maxmemory-samples');
    this.decayTime = e.config.getInt('lfu-decay-time');
    this.now = e.now();
    const limitMs = evictionTimeLimitUs(e.config.getInt('maxmemory-eviction-tenacity')) / 1000;
    const start = performanceNow();
    let freed = 0;
    let keysFreed = 0;
    while (freed < toFree) {
      const victim = policy.kind === Kind.Random ? this.pickRandom(policy) : this.pickFromPool(policy);
      if (victim === undefined) return this.metrics(EvictResult.Fail);
      freed += this.evict(victim.db, victim.key);
      keysFreed++;
      if (keysFreed % 16 === 0 && performanceNow() - start > limitMs) {
        this.startProc();
        break;
      }
    }
    return this.metrics(this.procRunning ? EvictResult.Running : EvictResult.Ok);
  }

  /**
   * total_eviction_exceeded_time and current_eviction_exceeded_time for INFO stats, in ms: how long used
   * memory has been over maxmemory, in all and in the current episode.
   */
  exceededTime(): { total: number; current: number } {
    const current = this.exceededSince === 0 ? 0 : this.engine.now() - this.exceededSince;
    return { total: this.exceededTotal + current, current };
  }

  /** CONFIG RESETSTAT (Redis's resetServerStats zeroes both; the next check over the limit starts anew). */
  resetStats(): void {
    this.exceededTotal = 0;
    this.exceededSince = 0;
  }

  private metrics(r: EvictResult): EvictResult {
    if (r === EvictResult.Ok) {
      if (this.exceededSince !== 0) {
        this.exceededTotal += this.engine.now() - this.exceededSince;
        this.exceededSince = 0;
      }
    } else if (this.exceededSince === 0) {
      // Never 0 while set: a clock at 0 (tests) would read as "not exceeded".
      this.exceededSince = this.engine.now() || 1e-9;
    }
    return r;
  }

  /** Redis's evictionTimeProc: keep evicting between commands until done. */
  private startProc(): void {
    if (this.procRunning) return;
    this.procRunning = true;
    const tick = () => {
      if (this.performEvictionsFromTimer() === EvictResult.Running) this.timers.set(tick, 0);
      else this.procRunning = false;
    };
    this.timers.set(tick, 0);
  }

  private performEvictionsFromTimer(): EvictResult {
    // The flag says whether a later round broke off again; clear it so the round can tell.
    this.procRunning = false;
    const r = this.performEvictions();
    if (r === EvictResult.Running) this.procRunning = true;
    return r;
  }

  /** Delete one key as an eviction; the bytes the running total counted for it. */
  private evict(db: Db, key: string): number {
    const e = this.engine;
    const bytes = e.memory.keyBytes(db, key);
    db.remove(key);
    e.stats.evictedKeys++;
    e.signalModifiedKey(db, key, 0);
    e.notify(NotifyClass.Evicted, 'evicted', key, db.id);
    return bytes;
  }

  // ---- choosing a key ------------------------------------------------------------------------------------

  private pickRandom(policy: Policy): { db: Db; key: string } | undefined {
    const dbs = this.engine.dbs;
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb];
      if (policy.allkeys) {
        const e = db.dict.random(this.engine.random);
        if (e !== undefined) return { db, key: e.key };
      } else if (db.expires.size > 0) {
        const [e] = this.sampleVolatile(db, 1);
        if (e !== undefined) return { db, key: e.key };
      }
    }
    return undefined;
  }

  /** Fill the pool from every db, then take its best entry still present (ghosts are dropped). */
  private pickFromPool(policy: Policy): { db: Db; key: string } | undefined {
    const dbs = this.engine.dbs;
    const pool = this.pool;
    for (;;) {
      let total = 0;
      for (const db of dbs) {
        const n = policy.allkeys ? db.dict.size : db.expires.size;
        if (n === 0) continue;
        this.populate(db, policy);
        total += n;
      }
      if (total === 0) return undefined;
      for (let k = POOL_SIZE - 1; k >= 0; k--) {
        const p = pool[k];
        if (p === null) continue;
        pool[k] = null;
        const db = dbs[p.dbid];
        const e = db.dict.get(p.key);
        if (e !== undefined && (policy.allkeys || e.expireAt !== 0)) return { db, key: p.key };
      }
    }
  }

  /** Redis's evictionPoolPopulate: score a sample of the db and insert the good ones, best last. */
  private populate(db: Db, policy: Policy): void {
    const count = this.samples;
    const sample = policy.allkeys ? this.sampleAll(db, count) : this.sampleVolatile(db, count);
    const now = this.now;
    const decay = this.decayTime;
    const pool = this.pool;
    for (const s of sample) {
      let score: number;
      if (policy.kind === Kind.Lru) score = Math.max(0, now - s.atime);
      else if (policy.kind === Kind.Lfu) score = 255 - lfuDecrAndReturn(s.freq, s.atime, now, decay);
      else score = Number.MAX_SAFE_INTEGER - s.expireAt;

      // The first empty slot or the first with a lower score.
      let k = 0;
      while (k < POOL_SIZE && pool[k] !== null && pool[k]!.score < score) k++;
      if (k === 0 && pool[POOL_SIZE - 1] !== null) continue; // worse than everything in a full pool
      if (k < POOL_SIZE && pool[k] === null) {
        // an empty slot: take it
      } else if (pool[POOL_SIZE - 1] === null) {
        // room on the right: shift k.. right
        for (let j = POOL_SIZE - 1; j > k; j--) pool[j] = pool[j - 1];
      } else {
        // full: drop the worst (leftmost) and insert just before k
        k--;
        for (let j = 0; j < k; j++) pool[j] = pool[j + 1];
      }
      pool[k] = { key: s.key, dbid: db.id, score };
    }
  }

  /** Up to `count` distinct random keys of the db. */
  private sampleAll(db: Db, count: number): Entry[] {
    const dict = db.dict;
    if (dict.size <= count) return [...dict.values()];
    const out: Entry[] = [];
    for (let tries = 0; out.length < count && tries < count * 4; tries++) {
      const e = dict.random(this.engine.random)!;
      if (!out.includes(e)) out.push(e);
    }
    return out;
  }

  /** Up to `count` distinct keys of the db that have a TTL (see the file's note on sampling). */
  private sampleVolatile(db: Db, count: number): Entry[] {
    const expires = db.expires;
    if (expires.size === 0) return [];
    if (expires.size <= count) return [...expires];
    const rnd = this.engine.random;
    if (expires.size * 8 >= db.dict.size) {
      const out: Entry[] = [];
      for (let tries = 0; out.length < count && tries < count * 32; tries++) {
        const e = db.dict.random(rnd)!;
        if (e.expireAt !== 0 && !out.includes(e)) out.push(e);
      }
      if (out.length > 0) return out;
    }
    const out: Entry[] = [];
    let skip = Math.floor(rnd() * count);
    let it = this.cursors.get(expires) ?? expires.values();
    let restarted = false;
    while (out.length < count) {
      const r = it.next();
      if (r.done) {
        if (restarted) break;
        restarted = true;
        it = expires.values();
        continue;
      }
      if (skip > 0) skip--;
      else if (!out.includes(r.value)) out.push(r.value);
    }
    this.cursors.set(expires, it);
    return out;
  }
}
