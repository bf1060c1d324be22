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
 *   only as an abort, its request never settling); a transaction that has done neither after a time limit is
 *   aborted and counted as failed, so no caller waits for ever;
 * - every wait is bounded: opening times out and is retried a few times (an `open()` that never settles was
 *   seen on Safari 14; "Internal error opening backing store" can be transient); an open that another tab's
 *   older connection blocks gives up at the time limit instead of hanging on `blocked`;
 * - a connection the browser closed (Safari drops them) is reopened before the next write; a version change
 *   or deletion requested elsewhere closes ours at once (keeping it would block the other tab for ever) and
 *   is final;
 * - reading is one `getAll` (≥ 10× faster than a cursor);
 * - a leader's write carries a fence (its epoch, replication/): the transaction first reads the stored epoch
 *   and, from that request's callback, either issues the whole set with the new offset or aborts when a newer
 *   leader has claimed a higher epoch. Requests issued from a request's callback keep the transaction alive,
 *   so this is still one atomic step with no await inside.
 */
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import {
  DB_VERSION, META, REPL_META, STORE, databaseName, dbRange, upgradeSchema,
  type RecordKey, type ReplMeta, type StoredRecord, type TabhiveSchema,
} from './schema.js';

/** What one flush changes: whole dbs to clear first, then keys to delete and records to put. */
export interface WriteSet {
  clear: number[];
  del: RecordKey[];
  put: StoredRecord[];
  /**
   * The writing leader's epoch and the replication offset the set brings the store to: the write aborts with
   * a `FencedError` when the stored epoch is higher (a newer leader exists), and records the offset otherwise.
   */
  fence?: ReplMeta;
}

/** A newer leader claimed the database: this tab's write was refused (nothing of it was stored). */
export class FencedError extends Error {
  override name = 'FencedError';
}

export type Durability = 'default' | 'strict' | 'relaxed';

export interface OpenOptions {
  /** Give up one attempt at opening after this long. Default 5 s. */
  timeoutMs?: number;
  /** Attempts at opening. Default 3. */
  attempts?: number;
  /**
   * Time limit of one write, before its size is added (`writeTimeoutPerRecordMs` per record put). Default 5 s.
   * A write past it is aborted and reported failed.
   */
  writeTimeoutMs?: number;
  /** Added to the write time limit per record put (big flushes take longer). Default 0.2 ms. */
  writeTimeoutPerRecordMs?: number;
  /** Schema version to open (tests play older tabs with a lower one). Default DB_VERSION. */
  version?: number;
}

/** The browser closed the connection (not us, not a version change): reopening may repair it. */
const TERMINATED = 'the browser closed the IndexedDB connection';

export class Store {
  /** Set when the connection is unusable; `why` says why. `retryable` tells whether reopening may help. */
  lost: string | null = null;
  /** Set by `hurry()`: the write being issued in chunks issues the rest at once. Cleared by the next write. */
  private hurried = false;
  /** Told when the connection is lost (see `lost`); `retryable` as the getter. */
  onLost: (why: string, retryable: boolean) => void = () => {};
  private db: IDBPDatabase<TabhiveSchema> | null = null;
  private broken = false;

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

  /**
   * Someone now waits for the write in progress (a page hiding, SAVE): issue the rest of its chunks at once,
   * at its next turn, and commit.
   */
  hurry(): void {
    this.hurried = true;
  }

  /** Every stored record, in one `getAll`. Records are as read: check them (checksum.ts) before use. */
  loadAll(): Promise<unknown[]> {
    return this.handle().getAll(STORE);
  }

  /**
   * Apply a write set in one transaction. Resolves once the transaction completes; rejects (and nothing of
   * the set is stored) otherwise, at the latest after the write time limit.
   *
   * `chunk` > 0: issue the puts that many at a time, each chunk from the success of the first put of the one
   * before (a transaction is active in its requests' callbacks), so the thread runs other tasks between chunks
   * while the store always has work queued: one `put` costs 12–35 µs of this thread in Chromium, and 10,000
   * issued at once held the worker 120–350 ms. Only the last chunk commits; 0 issues everything and commits
   * in this task, for a caller that may not get another turn (a page hiding, a terminating worker).
   */
  write(w: WriteSet, durability: Durability = 'default', chunk = 0): Promise<void> {
    this.hurried = false;
    let tx: IDBTransaction;
    const fence = w.fence !== undefined && this.hasMeta() ? w.fence : undefined;
    try {
      const handle = this.handle();
      const wrapped =
        fence === undefined
          ? handle.transaction(STORE, 'readwrite', { durability })
          : handle.transaction([STORE, META], 'readwrite', { durability });
      // The outcome is read from the raw transaction below; idb's own `done` would reject unheard on abort.
      wrapped.done.catch(() => {});
      tx = unwrap(wrapped) as IDBTransaction;
    } catch (e) {
      // InvalidStateError: the connection is closing under us (closed by the browser, not by an event).
      if (isConnectionError(e)) this.markBroken();
      return Promise.reject(e);
    }
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(fenced ?? tx.error ?? abortError('the IndexedDB transaction was aborted'));
      // An error event on the transaction precedes its abort; the abort settles the promise.
    });
    const issue = () => {
      const os = tx.objectStore(STORE);
      for (const id of w.clear) os.delete(dbRange(id));
      for (const k of w.del) os.delete(k);
      const puts = w.put;
      let i = 0;
      const next = (): void => {
        const end = chunk > 0 && !this.hurried ? Math.min(puts.length, i + chunk) : puts.length;
        const first = i < end ? os.put(puts[i++]) : null;
        while (i < end) os.put(puts[i++]);
        if (i < puts.length) {
          first!.onsuccess = () => {
            try {
              next();
            } catch {
              tx.abort();
            }
          };
          return;
        }
        if (fence !== undefined) tx.objectStore(META).put(fence, REPL_META);
        // Everything is issued: commit now rather than when the event loop turns (a worker about to be
        // terminated with its page may not get that turn).
        tx.commit?.();
      };
      next();
    };
    let fenced: FencedError | null = null;
    try {
      if (fence === undefined) issue();
      else {
        const get = tx.objectStore(META).get(REPL_META);
        get.onsuccess = () => {
          const stored = get.result as ReplMeta | undefined;
          if (stored !== undefined && stored.epoch > fence.epoch) {
            fenced = new FencedError(`leader epoch ${fence.epoch} was superseded by epoch ${stored.epoch}`);
            tx.abort();
            return;
          }
          try {
            issue();
          } catch {
            tx.abort();
          }
        };
      }
    } catch (e) {
      done.catch(() => {});
      try {
        tx.abort();
      } catch {
        // Already finished or aborted: nothing was committed by this call either way.
      }
      return Promise.reject(e);
    }
    const limit = (this.opts.writeTimeoutMs ?? 5000) + w.put.length * (this.opts.writeTimeoutPerRecordMs ?? 0.2);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        try {
          tx.abort();
        } catch {
          // Finishing as we speak: its outcome no longer matters, the caller retries the same changes.
        }
        const e = new Error(`an IndexedDB write did not complete within ${Math.round(limit)} ms`);
        e.name = 'TimeoutError';
        reject(e);
      }, limit);
      done.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (e: unknown) => {
          clearTimeout(timer);
          if (isConnectionError(e)) this.markBroken();
          reject(e);
        },
      );
    });
  }

  /** True when the connection was lost in a way `reopen` may repair (the browser closed it). */
  get retryable(): boolean {
    return this.lost === TERMINATED;
  }

  /** Reopen after the connection was lost to the browser (not after `close` or a version change). */
  async reopen(): Promise<void> {
    if (this.lost === null) return;
    if (this.lost !== TERMINATED) throw new Error(this.lost);
    const old = this.db;
    this.db = null;
    try {
      old?.close();
    } catch {
      // Already closed.
    }
    this.db = await this.connect();
    this.lost = null;
    this.broken = false;
  }

  /** The replication meta record (null: none yet, or a schema without it). */
  async readMeta(): Promise<ReplMeta | null> {
    if (!this.hasMeta()) return null;
    return (await this.handle().get(META, REPL_META)) ?? null;
  }

  /**
   * Claim the next leader epoch, above both the stored one and `atLeast`, in one transaction: from then on
   * every write fenced with a lower epoch is refused. Returns the meta as now stored.
   */
  claimEpoch(atLeast: number, replid: string): Promise<ReplMeta> {
    if (!this.hasMeta()) return Promise.reject(new Error('this IndexedDB schema has no replication meta'));
    const tx = unwrap(this.handle().transaction(META, 'readwrite', { durability: 'strict' })) as IDBTransaction;
    return new Promise<ReplMeta>((resolve, reject) => {
      let claimed: ReplMeta | null = null;
      const os = tx.objectStore(META);
      const get = os.get(REPL_META);
      get.onsuccess = () => {
        const stored = get.result as ReplMeta | undefined;
        claimed = {
          epoch: Math.max(stored?.epoch ?? 0, atLeast) + 1,
          offset: stored?.offset ?? 0,
          replid: stored?.replid ?? replid,
        };
        os.put(claimed, REPL_META);
        tx.commit?.();
      };
      tx.oncomplete = () => resolve(claimed!);
      tx.onabort = () => reject(tx.error ?? abortError('claiming the leader epoch was aborted'));
    });
  }

  private hasMeta(): boolean {
    return this.db !== null && this.db.objectStoreNames.contains(META);
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

  /**
   * A write failed in a way that says the connection is gone although no `close` event came (Safari's
   * "Connection to Indexed Database server lost", an InvalidStateError): treat it as closed by the browser.
   */
  private markBroken(): void {
    if (this.broken || this.lost !== null) return;
    this.broken = true;
    this.lose(TERMINATED);
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
        // Only an internal error or a timeout is worth retrying; a missing API, a denied open or an older
        // tab that keeps blocking the upgrade will fail the same way again.
        if (!(e instanceof Error) || (e.name !== 'UnknownError' && e.name !== 'TimeoutError')) break;
      }
    }
    throw last;
  }

  private connectOnce(): Promise<IDBPDatabase<TabhiveSchema>> {
    if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available here'));
    const timeoutMs = this.opts.timeoutMs ?? 5000;
    const version = this.opts.version ?? DB_VERSION;
    let blocked = false;
    let opening: Promise<IDBPDatabase<TabhiveSchema>>;
    try {
      opening = openDB<TabhiveSchema>(databaseName(this.name), version, {
        upgrade: (db, oldVersion, _newVersion, tx) => upgradeSchema(db, oldVersion, tx, version),
        // Another tab holds an older version open and did not close it: wait (it may yet), within the limit.
        blocked: () => {
          blocked = true;
        },
        // A newer tabhive wants to upgrade the schema, or the database is being deleted: step aside at once
        // (keeping the connection would block it for ever).
        blocking: (_current, wanted) =>
          this.lose(
            wanted === null
              ? 'the database was deleted elsewhere'
              : `another tab opened a newer version (${wanted}) of the database`,
          ),
        terminated: () => this.lose(TERMINATED),
      });
    } catch (e) {
      // indexedDB.open itself threw (an opaque origin, a denied context).
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        const e = blocked
          ? new Error(`opening IndexedDB was blocked for ${timeoutMs} ms by another tab holding an older version`)
          : new Error(`opening IndexedDB took over ${timeoutMs} ms`);
        e.name = blocked ? 'BlockedError' : 'TimeoutError';
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
    this.onLost(why, why === TERMINATED);
  }
}

function isConnectionError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'InvalidStateError' || name === 'UnknownError';
}

function abortError(message: string): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
