/**
 * Engine ↔ store: loads the stored records into the keyspace at start, and writes what changed since the last
 * flush as one transaction (store.ts), when Redis's `appendfsync` says so:
 * - `always`: a command's reply leaves only once the transaction holding its change has completed with
 *   durability 'strict' (`ackGate`); the changes of every command answered meanwhile share that transaction
 *   (group commit), so a burst costs one commit, not one per write;
 * - `everysec` (default): within a second of the first unsaved change;
 * - `no`: once the engine has been idle for `idleMs` (at the latest `maxIdleWaitMs` after the first unsaved
 *   change), and whenever asked: SAVE, `flush()` (the page asks when it is hidden or closed).
 * `CONFIG SET appendfsync` switches between them at run time. Without a store (durability 'memory', or
 * IndexedDB unusable) the change sets are still drained, so they do not grow for ever, and forgotten.
 *
 * How changes are known: the engine adds every modified key to its db's `changed` set and sets `rewrite` when
 * a whole db changed (FLUSHDB, FLUSHALL, SWAPDB). A flush drains those — a key present is put, a key absent
 * (or logically expired) is deleted, a rewritten db is cleared and written whole — and builds the records, each
 * with its checksum, in the same synchronous step that issues the transaction: what is written is the
 * keyspace at one instant, and flushes run one after another, so the stored state is always a point-in-time
 * snapshot and a crash leaves a prefix of the history of writes.
 *
 * Failures (Redis's stop-writes-on-bgsave-error): a failed flush puts what it drained back; the replies it was
 * holding (`always`) turn into MISCONF errors; until a flush succeeds again, write commands are refused with
 * MISCONF (engine.persistence.writeError) while reads go on; retries follow by themselves with backoff. A
 * write refused so after it ran (an `always` reply whose commit failed) stays in memory and is written by the
 * next flush that succeeds: the error says it is not known to be stored, not that it never happened.
 */
import { MISCONF, type Persistence } from '../engine/commands/persist.js';
import type { Engine } from '../engine/engine.js';
import { reviveValue, serializeValue, type Db, type Entry } from '../engine/keyspace.js';
import { recordProblem } from './checksum.js';
import { makeRecord, type ReplMeta, type StoredRecord } from './schema.js';
import { FencedError, type Store, type WriteSet } from './store.js';

export type FsyncMode = 'always' | 'everysec' | 'no';

export interface LoadResult {
  /** Keys now in the keyspace. */
  loaded: number;
  /** Records already past their expiry time: skipped, and deleted by the next flush. */
  expired: number;
  /** Records that failed their check (checksum.ts) or could not be revived: skipped, left on disk untouched. */
  corrupt: number;
  /** What was wrong with the first few corrupt records (`db 0 key "…": checksum mismatch`). */
  problems: string[];
}

const MAX_PROBLEMS = 10;

/**
 * Put stored records into an empty keyspace. A record that fails its check is skipped (and reported); one
 * already expired is not loaded but marked for deletion. Loading is not a change: `dirty` stays 0.
 */
export function loadRecords(engine: Engine, records: readonly unknown[]): LoadResult {
  const now = engine.now();
  const res: LoadResult = { loaded: 0, expired: 0, corrupt: 0, problems: [] };
  const bad = (r: unknown, why: string) => {
    res.corrupt++;
    if (res.problems.length < MAX_PROBLEMS) res.problems.push(`${describeRecord(r)}: ${why}`);
  };
  for (const raw of records) {
    const problem = recordProblem(raw, engine.dbs.length);
    if (problem !== null) {
      bad(raw, problem);
      continue;
    }
    const r = raw as StoredRecord;
    const db = engine.dbs[r.db];
    if (r.expireAt !== 0 && r.expireAt <= now) {
      db.changed.add(r.key);
      res.expired++;
      continue;
    }
    let value: unknown;
    try {
      value = reviveValue(r.type, r.value);
    } catch {
      bad(raw, 'cannot be revived');
      continue;
    }
    if (db.dict.get(r.key) !== undefined) {
      bad(raw, 'duplicate key');
      continue;
    }
    const e = db.add(r.key, r.type, value, now, true);
    if (r.expireAt !== 0) db.setExpire(e, r.expireAt);
    res.loaded++;
  }
  return res;
}

function describeRecord(r: unknown): string {
  const o = (typeof r === 'object' && r !== null ? r : {}) as { db?: unknown; key?: unknown };
  const key = typeof o.key === 'string' ? JSON.stringify(o.key.length > 64 ? `${o.key.slice(0, 64)}…` : o.key) : '?';
  return `db ${typeof o.db === 'number' ? o.db : '?'} key ${key}`;
}

/** What the persister tells its host (the worker turns them into events on the page's clients). */
export interface PersisterEvent {
  type: 'write-failed' | 'write-resumed' | 'reconnected' | 'memory-only' | 'durability';
  message: string;
}

export interface PersisterOptions {
  /** Initial appendfsync (written into the engine's config). Default: the config's value. */
  mode?: FsyncMode;
  /** `everysec`: longest time between a change and the flush that writes it. Default 1000 ms. */
  delayMs?: number;
  /** `no`: flush after this long without a change. Default 1000 ms. */
  idleMs?: number;
  /** `no`: flush at the latest this long after the first unsaved change, idle or not. Default 30 s. */
  maxIdleWaitMs?: number;
  /** First retry this long after a failed flush; the wait doubles up to `maxBackoffMs`. Default 1000 ms. */
  retryMs?: number;
  /** Longest wait between retries. Default 5000 ms. */
  maxBackoffMs?: number;
  /**
   * Without a store: why (IndexedDB could not be opened …). Absent with a null store means durability
   * 'memory', nothing stored by design.
   */
  unavailable?: string;
  /** What the last load found (INFO rdb_last_load_keys_*). */
  load?: LoadResult;
  /** Told of failures, recoveries, reconnections and mode changes. */
  onEvent?: (e: PersisterEvent) => void;
  /** Wall clock for timing flushes (INFO). Default Date.now. */
  clock?: () => number;
}

/**
 * Many tabs (replication/): only the leader writes. `fence()` gives, at the instant a flush drains the
 * engine, the leader's epoch and the stream offset the keyspace then holds; a write refused because a newer
 * leader exists calls `fenced()` (the tab must step down) and is not retried.
 */
export interface PersisterFence {
  fence(): ReplMeta;
  fenced(e: FencedError): void;
}

/** What a flush took out of the engine, to put back if the write fails. */
interface Drained {
  set: WriteSet;
  rewrote: Db[];
  keys: [Db, Set<string>][];
  dirty: number;
}

/** A flush asked for and not started yet: every caller until it starts shares it (group commit). */
interface Queued {
  promise: Promise<void>;
  /** Some caller wants durability 'strict' (always, SAVE). */
  strict: boolean;
  /** Some caller wants a save even with nothing to write (SAVE updates LASTSAVE). */
  forced: boolean;
  /** Only the timer asked (everysec, no): nobody waits, the write may yield between chunks (WRITE_CHUNK). */
  background: boolean;
}

/**
 * Puts a background flush issues per turn of the worker (Store.write's `chunk`): about 3–9 ms of the thread
 * in Chromium, the longest a command then waits behind a flush.
 */
export const WRITE_CHUNK = 256;

export class Persister implements Persistence {
  /** Counts changes (modified keys, flushed dbs); `savedSeq` is the count covered by the last flush. */
  private changeSeq = 0;
  private savedSeq = 0;
  private mode: FsyncMode;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The timer is a retry after a failure (a mode switch keeps it). */
  private retrying = false;
  private chain: Promise<void> = Promise.resolve();
  private queued: Queued | null = null;
  private failures = 0;
  private closed = false;
  /** `no` mode: when the last change came and when the first unsaved one did (wall clock). */
  private lastChangeAt = 0;
  private firstUnsavedAt = 0;
  /** INFO: the last flush failed; its error; flushes done; how long the last took; the one in flight. */
  private status: 'ok' | 'err' = 'ok';
  private lastError: string | null = null;
  private saves = 0;
  private lastDurationMs = -1;
  private inFlightSince: number | null = null;
  private bgsaveRunning = false;
  private unavailable: string | null;
  /** A replica tab: changes are kept (marked) but not written; the leader writes them. */
  private paused = false;
  private fencing: PersisterFence | null = null;
  private readonly load: LoadResult;
  private readonly clock: () => number;

  constructor(
    private readonly engine: Engine,
    private store: Store | null,
    private readonly opts: PersisterOptions = {},
  ) {
    this.unavailable = opts.unavailable ?? null;
    this.load = opts.load ?? { loaded: 0, expired: 0, corrupt: 0, problems: [] };
    this.clock = opts.clock ?? Date.now;
    if (opts.mode !== undefined) engine.config.set('appendfsync', opts.mode);
    this.mode = engine.config.get('appendfsync') as FsyncMode;
    engine.config.onChange((name) => {
      if (name === 'appendfsync') this.setMode(engine.config.get('appendfsync') as FsyncMode);
    });
    engine.recordChanges = true;
    engine.onKeyModified(this.changed);
    engine.onDbFlushed(this.changed);
    engine.persistence = this;
    if (store !== null) {
      store.onLost = (why, retryable) => {
        if (!retryable) this.detach(why);
      };
    }
    if (this.pending()) this.schedule();
  }

  /**
   * Stop or resume writing (a tab becoming replica or leader). While paused, changes accumulate and flushes
   * resolve at once writing nothing; resuming writes everything that changed since (a new leader stores
   * what it received as a replica). `fencing`: how a leader's writes are fenced.
   */
  setWriter(writer: boolean, fencing: PersisterFence | null = null): void {
    this.paused = !writer;
    this.fencing = fencing;
    if (writer) {
      this.cancelTimer();
      if (this.pending()) this.schedule();
    } else {
      this.cancelTimer();
    }
  }

  /** The store, when there is one (replication reads and claims its meta). */
  get storeHandle(): Store | null {
    return this.store;
  }

  /** True while changes go to IndexedDB. */
  get persistent(): boolean {
    return this.store !== null;
  }

  /** Changes so far (modified keys and flushed dbs, counted): a command that moved it changed data. */
  get changes(): number {
    return this.changeSeq;
  }

  /** appendfsync now. */
  get fsync(): FsyncMode {
    return this.mode;
  }

  /** Why nothing is stored although durability asked for it (null: stored, or 'memory' by design). */
  get unavailableReason(): string | null {
    return this.unavailable;
  }

  /** The last flush's error while flushes fail (writes are refused meanwhile), else null. */
  get failure(): string | null {
    return this.status === 'err' ? this.lastError : null;
  }

  /** Whether any change awaits a flush. */
  pending(): boolean {
    for (const db of this.engine.dbs) if (db.rewrite || db.changed.size > 0) return true;
    return false;
  }

  /**
   * `always`: the replies of commands run so far may leave only once their changes are stored. Returns null
   * when they may leave now, else a promise of whether the changes were stored (false: the flush failed, and
   * the replies of the commands that changed something must become MISCONF errors). `write`: the replies held
   * include one of a command that changed data; replies of reads are not held while flushes fail.
   */
  ackGate(write: boolean): Promise<boolean> | null {
    if (this.mode !== 'always' || this.store === null || this.paused || this.savedSeq >= this.changeSeq) return null;
    if (!write && this.status === 'err') return null;
    const target = this.changeSeq;
    return this.flush(true).then(
      () => this.savedSeq >= target,
      () => false,
    );
  }

  /**
   * Write everything changed up to now. Resolves once it is in IndexedDB (at once without a store); rejects
   * when the write failed (the changes stay pending and are retried). Calls made before the flush starts share
   * it. `strict`: with durability 'strict' (on disk, not just handed to the OS).
   */
  flush(strict = false, forced = false, background = false): Promise<void> {
    // A background write still being issued in chunks must not keep a waiting caller waiting longer.
    if (!background && this.inFlightSince !== null) this.store?.hurry();
    const q = this.queued;
    if (q !== null) {
      q.strict ||= strict;
      q.forced ||= forced;
      q.background &&= background;
      return q.promise;
    }
    const slot: Queued = { promise: null as unknown as Promise<void>, strict, forced, background };
    slot.promise = this.chain.then(() => {
      if (this.queued === slot) this.queued = null;
      return this.writeOnce(slot.strict, slot.forced, slot.background);
    });
    this.queued = slot;
    this.chain = slot.promise.catch(() => {});
    return slot.promise;
  }

  // ---- Persistence (the engine's side: SAVE, BGSAVE, refusing writes, INFO) --------------------------------

  save(): Promise<void> {
    return this.flush(true, true);
  }

  bgsave(): void {
    this.bgsaveRunning = true;
    this.save().then(
      () => (this.bgsaveRunning = false),
      () => (this.bgsaveRunning = false),
    );
  }

  get bgsaveInProgress(): boolean {
    return this.bgsaveRunning;
  }

  writeError(): string | null {
    if (this.status !== 'err' || this.store === null) return null;
    return this.engine.config.get('stop-writes-on-bgsave-error') === 'yes' ? MISCONF : null;
  }

  info(f: Map<string, string | number>): void {
    const now = this.clock();
    f.set('rdb_bgsave_in_progress', this.inFlightSince !== null ? 1 : 0);
    f.set('rdb_last_bgsave_status', this.status);
    f.set('rdb_last_bgsave_time_sec', this.lastDurationMs < 0 ? -1 : Math.floor(this.lastDurationMs / 1000));
    f.set(
      'rdb_current_bgsave_time_sec',
      this.inFlightSince === null ? -1 : Math.floor((now - this.inFlightSince) / 1000),
    );
    f.set('rdb_saves', this.saves);
    f.set('rdb_last_load_keys_expired', this.load.expired);
    f.set('rdb_last_load_keys_loaded', this.load.loaded);
    f.set('aof_enabled', this.store !== null ? 1 : 0);
    f.set('aof_last_write_status', this.status);
    // tabhive's own: where the data goes, and what went wrong.
    const memory = this.store === null && this.unavailable === null;
    f.set('tabhive_durability', memory ? 'memory' : this.mode);
    f.set('tabhive_storage', this.store !== null ? 'indexeddb' : memory ? 'memory' : 'memory-only');
    f.set('tabhive_storage_error', infoText(this.unavailable ?? this.failure ?? ''));
    f.set('tabhive_load_records_corrupt', this.load.corrupt);
  }

  // ---- life cycle ---------------------------------------------------------------------------------------------

  /** Switch appendfsync (CONFIG SET appendfsync). */
  setMode(mode: FsyncMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    if (!this.retrying) {
      this.cancelTimer();
      if (this.pending()) this.schedule();
    }
    this.opts.onEvent?.({ type: 'durability', message: `appendfsync is now ${mode}` });
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

  /**
   * Stop writing for good (a newer version of the database was opened elsewhere …); later changes are kept in
   * memory only. Replies still held for a flush get MISCONF (nothing unsaved is acknowledged).
   */
  detach(why: string): void {
    if (this.store === null) return;
    this.store.close();
    this.store = null;
    this.unavailable = `IndexedDB connection lost (${why}); data is kept in memory only from now on`;
    this.status = 'ok';
    this.lastError = null;
    this.opts.onEvent?.({ type: 'memory-only', message: this.unavailable });
  }

  // ---- flushing -----------------------------------------------------------------------------------------------

  /** Engine listener: a key or a db changed. Kept cheap: it runs on every write. */
  private readonly changed = (): void => {
    this.changeSeq++;
    if (this.mode === 'no') this.lastChangeAt = this.clock();
    if (this.timer === null && !this.closed && !this.paused) this.schedule();
  };

  /** Arm the timer for the current mode (no-op when one is armed). */
  private schedule(): void {
    if (this.timer !== null || this.closed) return;
    if (this.mode === 'no') {
      this.firstUnsavedAt = this.lastChangeAt = this.clock();
      this.arm(this.opts.idleMs ?? 1000, () => this.idleCheck());
    } else {
      this.arm(this.opts.delayMs ?? 1000, () => this.flushInBackground());
    }
  }

  /** `no` mode: flush once idle long enough, or once the first unsaved change waited long enough. */
  private idleCheck(): void {
    const idle = this.opts.idleMs ?? 1000;
    const now = this.clock();
    const quietFor = now - this.lastChangeAt;
    const waited = now - this.firstUnsavedAt;
    const maxWait = this.opts.maxIdleWaitMs ?? 30_000;
    if (this.mode !== 'no' || quietFor >= idle || waited >= maxWait) {
      this.flushInBackground();
      return;
    }
    this.arm(Math.min(idle - quietFor, maxWait - waited), () => this.idleCheck());
  }

  private arm(ms: number, run: () => void): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retrying = false;
      run();
    }, ms);
  }

  private flushInBackground(): void {
    // A failure schedules its own retry and is reported through status and events.
    this.flush(this.mode === 'always', false, true).catch(() => {});
  }

  private async writeOnce(strict: boolean, forced: boolean, background: boolean): Promise<void> {
    this.cancelTimer();
    if (this.paused) return;
    const store = this.store;
    if (store === null) {
      this.drain(false);
      if (forced) {
        if (this.unavailable !== null) throw new Error(this.unavailable);
        this.engine.dirty = 0;
        this.saved(0);
      }
      return;
    }
    if (store.lost !== null) {
      try {
        await store.reopen();
      } catch (e) {
        this.failed(e);
        throw e;
      }
      if (this.store !== store) throw new Error(this.unavailable ?? 'IndexedDB connection lost');
      this.opts.onEvent?.({ type: 'reconnected', message: 'the IndexedDB connection was lost and reopened' });
    }
    // From here until the transaction is issued nothing may await: the records are this instant's.
    const upto = this.changeSeq;
    let d: Drained | null;
    try {
      d = this.drain(true);
    } catch (e) {
      this.failed(e);
      throw e;
    }
    const started = this.clock();
    if (d === null) {
      this.savedSeq = Math.max(this.savedSeq, upto);
      if (forced) this.saved(0);
      this.succeeded();
      return;
    }
    this.inFlightSince = started;
    if (this.fencing !== null) d.set.fence = this.fencing.fence();
    try {
      await store.write(d.set, strict ? 'strict' : 'default', background ? WRITE_CHUNK : 0);
    } catch (e) {
      this.inFlightSince = null;
      this.restore(d);
      if (e instanceof FencedError && this.fencing !== null) {
        // Not a storage failure: another tab leads now. It will write these changes if they were
        // replicated; this tab must stop writing at once.
        const f = this.fencing;
        this.setWriter(false);
        f.fenced(e);
        throw e;
      }
      this.failed(e);
      throw e;
    }
    this.inFlightSince = null;
    this.savedSeq = Math.max(this.savedSeq, upto);
    this.engine.dirty = Math.max(0, this.engine.dirty - d.dirty);
    this.saved(this.clock() - started);
    this.succeeded();
  }

  private saved(durationMs: number): void {
    this.saves++;
    this.lastDurationMs = durationMs;
    this.engine.lastSave = this.engine.now();
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.status === 'err') {
      this.status = 'ok';
      this.lastError = null;
      this.opts.onEvent?.({ type: 'write-resumed', message: 'IndexedDB writes succeed again; writes are accepted' });
    }
  }

  private failed(e: unknown): void {
    this.failures++;
    this.lastError = describe(e);
    if (this.status === 'ok') {
      this.status = 'err';
      const refusing = this.engine.config.get('stop-writes-on-bgsave-error') === 'yes';
      this.opts.onEvent?.({
        type: 'write-failed',
        message:
          `writing to IndexedDB failed (${this.lastError}); ` +
          (refusing ? 'write commands are refused (MISCONF) until a retry succeeds' : 'retrying'),
      });
    }
    if (this.closed) return;
    this.cancelTimer();
    const wait = Math.min(this.opts.maxBackoffMs ?? 5000, (this.opts.retryMs ?? 1000) * 2 ** (this.failures - 1));
    this.arm(wait, () => this.flushInBackground());
    this.retrying = true;
  }

  /**
   * Take the pending changes out of the engine as a write set (or drop them when `keep` is false). Throws,
   * with every change put back, when a record cannot be built (a value serializeValue should never make).
   */
  private drain(keep: boolean): Drained | null {
    if (!this.pending()) return null;
    const now = this.engine.now();
    const d: Drained = { set: { clear: [], del: [], put: [] }, rewrote: [], keys: [], dirty: this.engine.dirty };
    for (const db of this.engine.dbs) {
      if (db.rewrite) {
        db.rewrite = false;
        if (db.changed.size > 0) db.changed = new Set();
        if (keep) d.rewrote.push(db);
      } else if (db.changed.size > 0) {
        if (keep) d.keys.push([db, db.changed]);
        db.changed = new Set();
      }
    }
    if (!keep) return null;
    try {
      for (const db of d.rewrote) {
        d.set.clear.push(db.id);
        for (const e of db.dict.values()) if (!expired(e, now)) d.set.put.push(record(db.id, e));
      }
      for (const [db, changed] of d.keys) {
        for (const key of changed) {
          const e = db.dict.get(key);
          if (e === undefined || expired(e, now)) d.set.del.push([db.id, key]);
          else d.set.put.push(record(db.id, e));
        }
      }
    } catch (e) {
      this.restore(d);
      throw e;
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
    this.retrying = false;
  }
}

function expired(e: Entry, now: number): boolean {
  return e.expireAt !== 0 && e.expireAt <= now;
}

function record(db: number, e: Entry): StoredRecord {
  return makeRecord({ db, key: e.key, type: e.type, value: serializeValue(e), expireAt: e.expireAt });
}

/** A value for an INFO line: one line, no field separators Redis would not print. */
function infoText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

export function describe(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  if (typeof DOMException !== 'undefined' && e instanceof DOMException) return `${e.name}: ${e.message}`;
  return String(e);
}
