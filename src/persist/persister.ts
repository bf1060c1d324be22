/**
 * Engine ↔ store: loads the stored records into the keyspace at start, and turns what changed since the last
 * flush into one write set (store.ts) within a second of the change (Redis's appendfsync everysec).
 *
 * How changes are known: the engine adds every modified key to its db's `changed` set and sets `rewrite` when
 * a whole db changed (FLUSHDB, FLUSHALL, SWAPDB). A flush drains those — a key present is put, a key absent
 * (or logically expired) is deleted, a rewritten db is cleared and written whole — and builds the records in
 * the same synchronous step that issues the transaction, so what is written is the keyspace at one instant.
 * A failed write puts what it drained back, to be retried with backoff; nothing acknowledged is dropped.
 *
 * Without a store (durability 'memory', or IndexedDB unavailable) the sets are still drained, so they do not
 * grow for ever, and the drained changes are forgotten.
 */
import type { Engine } from '../engine/engine.js';
import { reviveValue, serializeValue, type Db, type Entry } from '../engine/keyspace.js';
import type { StoredRecord } from './schema.js';
import type { Durability, Store, WriteSet } from './store.js';

export interface LoadResult {
  /** Keys now in the keyspace. */
  loaded: number;
  /** Records already past their expiry time: skipped, and deleted by the next flush. */
  expired: number;
  /** Records that could not be revived (unknown type, corrupt data): skipped and left on disk untouched. */
  failed: number;
}

/** Put stored records into an empty keyspace. Expired records are marked for deletion, not loaded. */
export function loadRecords(engine: Engine, records: readonly StoredRecord[]): LoadResult {
  const now = engine.now();
  const res: LoadResult = { loaded: 0, expired: 0, failed: 0 };
  for (const r of records) {
    const db = engine.dbs[r.db];
    if (db === undefined || typeof r.key !== 'string') {
      res.failed++;
      continue;
    }
    if (r.expireAt !== 0 && r.expireAt <= now) {
      db.changed.add(r.key);
      res.expired++;
      continue;
    }
    let value: unknown;
    try {
      value = reviveValue(r.type, r.value);
    } catch {
      res.failed++;
      continue;
    }
    const e = db.add(r.key, r.type, value, now, true);
    if (r.expireAt !== 0) db.setExpire(e, r.expireAt);
    res.loaded++;
  }
  return res;
}

export interface PersisterOptions {
  /** Longest time between a change and the flush that writes it. Default 1000 ms ('everysec'). */
  delayMs?: number;
  /** IndexedDB transaction durability. Default 'default' (Chrome: relaxed — complete once the OS has it). */
  durability?: Durability;
  /** Longest wait before retrying after failed writes (the wait doubles from `delayMs`). Default 30 s. */
  maxBackoffMs?: number;
  /** Told when persistence stops for good (the store was taken away); the engine goes on in memory. */
  onDetach?: (why: string) => void;
}

/** What a flush took out of the engine, to put back if the write fails. */
interface Drained {
  set: WriteSet;
  rewrote: Db[];
  keys: [Db, Set<string>][];
  dirty: number;
}

export class Persister {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  private closed = false;

  constructor(
    private readonly engine: Engine,
    private store: Store | null,
    private readonly opts: PersisterOptions = {},
  ) {
    engine.onKeyModified(() => this.schedule());
    engine.onDbFlushed(() => this.schedule());
    if (store !== null) {
      store.onLost = (why) => {
        if (!store.retryable) this.detach(why);
      };
    }
    if (this.pending()) this.schedule();
  }

  /** True while changes go to IndexedDB. */
  get persistent(): boolean {
    return this.store !== null;
  }

  /** Whether any change awaits a flush. */
  pending(): boolean {
    for (const db of this.engine.dbs) if (db.rewrite || db.changed.size > 0) return true;
    return false;
  }

  /** Flush at the latest `delayMs` from now (no-op when a flush is already due). */
  schedule(delayMs = this.opts.delayMs ?? 1000): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failure reschedules itself; the error has nobody to go to here.
      this.flush().catch(() => {});
    }, delayMs);
  }

  /**
   * Write everything changed up to now. Resolves once it is in IndexedDB (at once without a store); rejects
   * when the write failed (the changes stay pending and are retried).
   */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.writeOnce());
    this.chain = run.catch(() => {});
    return run;
  }

  /** Flush, then stop: no more timers, the store is closed. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.cancelTimer();
      this.store?.close();
    }
  }

  /** Stop writing for good; later changes are kept in memory only. */
  detach(why: string): void {
    if (this.store === null) return;
    this.store.close();
    this.store = null;
    this.opts.onDetach?.(why);
  }

  private async writeOnce(): Promise<void> {
    this.cancelTimer();
    const store = this.store;
    if (store !== null && store.lost !== null) {
      try {
        await store.reopen();
      } catch (e) {
        this.failed();
        throw e;
      }
    }
    // From here to the write's transaction being issued nothing may await: the records are this instant's.
    const d = this.drain();
    if (d === null) return;
    if (store === null) return;
    try {
      await store.write(d.set, this.opts.durability ?? 'default');
    } catch (e) {
      this.restore(d);
      this.failed();
      throw e;
    }
    this.failures = 0;
    this.engine.dirty = Math.max(0, this.engine.dirty - d.dirty);
    this.engine.lastSave = this.engine.now();
  }

  private failed(): void {
    this.failures++;
    const base = this.opts.delayMs ?? 1000;
    this.schedule(Math.min(this.opts.maxBackoffMs ?? 30_000, base * 2 ** this.failures));
  }

  /** Take the pending changes out of the engine as a write set (or drop them without a store). */
  private drain(): Drained | null {
    if (!this.pending()) return null;
    const keep = this.store !== null;
    const now = this.engine.now();
    const d: Drained = { set: { clear: [], del: [], put: [] }, rewrote: [], keys: [], dirty: this.engine.dirty };
    for (const db of this.engine.dbs) {
      if (db.rewrite) {
        db.rewrite = false;
        if (db.changed.size > 0) db.changed = new Set();
        if (!keep) continue;
        d.rewrote.push(db);
        d.set.clear.push(db.id);
        for (const e of db.dict.values()) if (!expired(e, now)) d.set.put.push(record(db.id, e));
      } else if (db.changed.size > 0) {
        const changed = db.changed;
        db.changed = new Set();
        if (!keep) continue;
        d.keys.push([db, changed]);
        for (const key of changed) {
          const e = db.dict.get(key);
          if (e === undefined || expired(e, now)) d.set.del.push([db.id, key]);
          else d.set.put.push(record(db.id, e));
        }
      }
    }
    return d;
  }

  /** Put a failed flush's changes back so the next one writes them. */
  private restore(d: Drained): void {
    for (const db of d.rewrote) db.rewrite = true;
    for (const [db, keys] of d.keys) for (const k of keys) db.changed.add(k);
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

function expired(e: Entry, now: number): boolean {
  return e.expireAt !== 0 && e.expireAt <= now;
}

function record(db: number, e: Entry): StoredRecord {
  return { db, key: e.key, type: e.type, value: serializeValue(e), expireAt: e.expireAt };
}
