/**
 * IndexedDB I/O: open the database, read every record, apply one write set in one transaction. Knows the
 * schema, not the engine (persister.ts turns engine state into write sets and records back into keys).
 *
 * Rules:
 * - a write is ONE readwrite transaction whose requests are all issued synchronously, before anything is
 *   awaited: IndexedDB commits a transaction as soon as the event loop turns with no request pending, so an
 *   await in the middle would commit half a write set and fail on the rest;
 * - if any request cannot even be issued (a value that cannot be cloned …) the transaction is aborted, so a
 *   write set lands whole or not at all;
 * - the outcome is the transaction's: `complete` resolves, `abort`/`error` rejects (a quota failure often shows
 *   only as an abort, its request never settling);
 * - reading is one `getAll` (≥ 10× faster than a cursor).
 */
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import {
  DB_VERSION, STORE, databaseName, dbRange, upgradeSchema,
  type RecordKey, type StoredRecord, type TabhiveSchema,
} from './schema.js';

/** What one flush changes: whole dbs to clear first, then keys to delete and records to put. */
export interface WriteSet {
  clear: number[];
  del: RecordKey[];
  put: StoredRecord[];
}

export type Durability = 'default' | 'strict' | 'relaxed';

export interface OpenOptions {
  /** Give up opening after this long (an `open()` that never settles was seen on Safari 14). Default 10 s. */
  timeoutMs?: number;
  /** Attempts at opening ("Internal error opening backing store" can be transient). Default 3. */
  attempts?: number;
}

export class Store {
  /** Set when the browser closed the connection or a newer schema asked us to step aside; `why` says which. */
  lost: string | null = null;
  /** Told when the connection is lost (see `lost`). */
  onLost: (why: string) => void = () => {};
  private db: IDBPDatabase<TabhiveSchema> | null = null;

  private constructor(
    readonly name: string,
    private readonly opts: OpenOptions,
  ) {}

  /** Open (creating or upgrading) database `tabhive:<name>`. Rejects when IndexedDB is unavailable or fails. */
  static async open(name: string, opts: OpenOptions = {}): Promise<Store> {
    const store = new Store(name, opts);
    store.db = await store.connect();
    return store;
  }

  /** Every stored record. */
  loadAll(): Promise<StoredRecord[]> {
    return this.handle().getAll(STORE);
  }

  /**
   * Apply a write set in one transaction. Resolves once the transaction completes; rejects (and nothing of
   * the set is stored) otherwise.
   */
  write(w: WriteSet, durability: Durability = 'default'): Promise<void> {
    let tx;
    try {
      tx = this.handle().transaction(STORE, 'readwrite', { durability });
    } catch (e) {
      return Promise.reject(e);
    }
    const done = tx.done;
    // The raw store: one IDBRequest per record and no promise each; failures surface through `done`.
    const os = unwrap(tx.store) as IDBObjectStore;
    try {
      for (const id of w.clear) os.delete(dbRange(id));
      for (const k of w.del) os.delete(k);
      for (const r of w.put) os.put(r);
      // Everything is issued: commit now rather than when the event loop turns (a worker about to be
      // terminated with its page may not get that turn).
      (unwrap(tx) as IDBTransaction).commit?.();
    } catch (e) {
      done.catch(() => {});
      try {
        tx.abort();
      } catch {
        // Already finished or aborted: nothing was committed by this call either way.
      }
      return Promise.reject(e);
    }
    return done;
  }

  /** True when the connection was lost in a way `reopen` may repair (the browser closed it). */
  get retryable(): boolean {
    return this.lost === TERMINATED;
  }

  /** Reopen after the connection was lost to the browser (not after `close` or a version change). */
  async reopen(): Promise<void> {
    if (this.lost === null) return;
    if (this.lost !== TERMINATED) throw new Error(this.lost);
    this.db = await this.connect();
    this.lost = null;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.lost ??= 'closed';
  }

  private handle(): IDBPDatabase<TabhiveSchema> {
    if (this.db === null || this.lost !== null) throw new Error(`IndexedDB connection unavailable: ${this.lost}`);
    return this.db;
  }

  private async connect(): Promise<IDBPDatabase<TabhiveSchema>> {
    const attempts = this.opts.attempts ?? 3;
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(50 * 4 ** (i - 1));
      try {
        return await this.connectOnce();
      } catch (e) {
        last = e;
        // Only an internal error is worth retrying; a missing API or a denied open will fail the same way.
        if (!(e instanceof Error) || (e.name !== 'UnknownError' && e.name !== 'TimeoutError')) break;
      }
    }
    throw last;
  }

  private connectOnce(): Promise<IDBPDatabase<TabhiveSchema>> {
    if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available here'));
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    const opening = openDB<TabhiveSchema>(databaseName(this.name), DB_VERSION, {
      upgrade: (db, oldVersion) => upgradeSchema(db, oldVersion),
      // A newer tabhive wants to upgrade the schema: step aside (keeping the connection would block it forever).
      blocking: () => this.lose('a newer version of the database was opened elsewhere'),
      terminated: () => this.lose(TERMINATED),
    });
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        const e = new Error(`opening IndexedDB took over ${timeoutMs} ms`);
        e.name = 'TimeoutError';
        reject(e);
      }, timeoutMs);
      opening.then(
        (db) => {
          clearTimeout(timer);
          if (timedOut) db.close();
          else resolve(db);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private lose(why: string): void {
    if (this.lost !== null) return;
    this.lost = why;
    if (why !== TERMINATED) {
      this.db?.close();
      this.db = null;
    }
    this.onLost(why);
  }
}

const TERMINATED = 'the browser closed the IndexedDB connection';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
