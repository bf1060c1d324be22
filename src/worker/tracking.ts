/**
 * Near-cache invalidation, the worker's half (Redis's CLIENT TRACKING, default mode, in spirit): which keys each
 * page connection may hold in its near-cache, and the invalidations owed to it.
 *
 * Rules:
 * - a key is tracked for a connection once the worker answered a tracked read of it (protocol.ts,
 *   NEAR_CACHE_COMMANDS); the first change to it afterwards — by any session of any connection, by expiry, by
 *   eviction — untracks it and owes the connection one invalidation. The page must read it again to be told
 *   again, as in Redis;
 * - FLUSHDB / FLUSHALL / SWAPDB (Engine.onDbFlushed) untrack a whole db and owe a `flushed` note;
 * - what is owed rides on the next message to that connection, ahead of the message's own content
 *   (Link.post). A write's invalidations for other connections leave before the writer's reply; whatever is
 *   still owed when the current task's synchronous work ends leaves in a message of its own (`inv`);
 * - turning `keymiss` events on (notify-keyspace-events with m or A… m) untracks everything: a reply answered from
 *   a near-cache fires no event, so while they are on no read is tracked (Link.track) and none may stay cached;
 * - at most `maxKeys` keys are tracked per connection: beyond it the oldest is untracked and invalidated, as
 *   Redis does past tracking-table-max-keys, so a page reading many distinct keys costs the worker bounded memory.
 */
import type { Engine } from '../engine/engine.js';
import { NotifyClass } from '../engine/notify.js';
import { keyId, type FromWorker, type Invalidations } from './protocol.js';

/** Default bound on tracked keys per connection. */
export const DEFAULT_TRACKING_MAX_KEYS = 100_000;

/** One page connection's tracked keys and owed invalidations. */
export class Tracking {
  /** Tracked keys by db number. */
  private readonly keys: (Set<string> | undefined)[] = [];
  /** How many keys are tracked. */
  count = 0;
  private inv: string[] = [];
  private flushed: number[] = [];
  /** Something is owed. */
  owed = false;

  constructor(
    private readonly maxKeys: number,
    /** Called when the first invalidation becomes owed (schedule its delivery). */
    private readonly onOwed: () => void,
    private readonly counters: { invalidations: number },
  ) {}

  /** A tracked read of `key` in db `db` was answered. */
  track(db: number, key: string): void {
    let set = this.keys[db];
    if (set === undefined) this.keys[db] = set = new Set();
    const size = set.size;
    set.add(key);
    if (set.size === size) return;
    if (++this.count > this.maxKeys) this.dropOldest();
  }

  /** `key` of db `db` changed. */
  modified(db: number, key: string): void {
    const set = this.keys[db];
    if (set === undefined || !set.delete(key)) return;
    this.count--;
    this.owe(keyId(db, key));
  }

  /** A whole db (null: all) was emptied or swapped. */
  flushedDb(db: number | null): void {
    if (db === null) {
      let any = false;
      for (let i = 0; i < this.keys.length; i++) {
        if (this.keys[i]?.size) any = true;
        this.keys[i]?.clear();
      }
      this.count = 0;
      if (!any) return;
      this.flushed = [-1];
    } else {
      const set = this.keys[db];
      if (set === undefined || set.size === 0) return;
      this.count -= set.size;
      set.clear();
      if (this.flushed[0] !== -1 && !this.flushed.includes(db)) this.flushed.push(db);
    }
    this.counters.invalidations++;
    this.markOwed();
  }

  /**
   * Attach what is owed to `m` (a copy of it: the same message object may go to several connections), or
   * return `m` itself when nothing is.
   */
  attach<M extends FromWorker>(m: M): M {
    if (!this.owed) return m;
    const out: M & Invalidations = { ...m };
    if (this.inv.length > 0) out.inv = this.inv;
    if (this.flushed.length > 0) out.flushed = this.flushed;
    this.inv = [];
    this.flushed = [];
    this.owed = false;
    return out;
  }

  private owe(id: string): void {
    this.inv.push(id);
    this.counters.invalidations++;
    this.markOwed();
  }

  private markOwed(): void {
    if (this.owed) return;
    this.owed = true;
    this.onOwed();
  }

  /** Over the bound: untrack the key tracked longest ago (a Set iterates in insertion order). */
  private dropOldest(): void {
    for (let db = 0; db < this.keys.length; db++) {
      const set = this.keys[db];
      if (set === undefined || set.size === 0) continue;
      const oldest = set.values().next().value as string;
      set.delete(oldest);
      this.count--;
      this.owe(keyId(db, oldest));
      return;
    }
  }
}

/** What a connection needs for invalidations: its tracking, and a way to send what is owed at once. */
export interface Tracked {
  readonly tracking: Tracking;
  /** Post what is owed in a message of its own. */
  sendOwed(): void;
}

const installed = new WeakMap<Engine, Set<Tracked>>();

/**
 * Register `t` for the engine's key signals (the engine's listeners are installed once per engine). Returns the
 * function that unregisters it.
 */
export function trackEngine(engine: Engine, t: Tracked): () => void {
  let all = installed.get(engine);
  if (all === undefined) {
    const set = new Set<Tracked>();
    all = set;
    installed.set(engine, set);
    engine.onKeyModified((db, key) => {
      for (const c of set) if (c.tracking.count > 0) c.tracking.modified(db.id, key);
    });
    engine.onDbFlushed((db) => {
      for (const c of set) c.tracking.flushedDb(db === null ? null : db.id);
    });
    engine.config.onChange((name) => {
      if (name === 'notify-keyspace-events' && engine.config.notifyMask & NotifyClass.KeyMiss) {
        for (const c of set) c.tracking.flushedDb(null);
      }
    });
  }
  all.add(t);
  const set = all;
  return () => void set.delete(t);
}

/** Send what is owed to every connection of `engine` but `except` (whose own ride on its next message). */
export function sendOwed(engine: Engine, except: Tracked | null): void {
  const all = installed.get(engine);
  if (all === undefined) return;
  for (const c of all) if (c !== except && c.tracking.owed) c.sendOwed();
}
