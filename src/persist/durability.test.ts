/**
 * Persistence as the page sees it: the client against the real worker code (host.ts) over a Node
 * MessageChannel, with fake-indexeddb. Durability modes, failures and their events, reloads. The browser
 * itself (a killed process, a real quota) is covered by e2e/persistence*.spec.ts.
 */
import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyError, createClient, type PersistenceEvent, type TabhiveClient } from '../client/index.js';
import type { WorkerLike } from '../client/connection.js';
import { MISCONF } from '../engine/commands/persist.js';
import { serve, type Endpoint, type HostOptions } from '../worker/host.js';
import type { Durability, ToWorker } from '../worker/protocol.js';
import { databaseName, STORE, type StoredRecord, type TabhiveSchema } from './schema.js';
import { Store, type WriteSet } from './store.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s().catch(() => {});
});

let seq = 0;
const freshName = () => `durability-test-${process.pid}-${++seq}`;
const quiet = { warn: () => {} };

/** A worker (host.ts on a MessageChannel) and a client of database `name` on it. */
async function client(
  name: string,
  durability: Durability = 'everysec',
  opts: HostOptions = {},
): Promise<TabhiveClient> {
  const { port1, port2 } = new MessageChannel();
  const server = serve(port2 as unknown as Endpoint, { flushDelayMs: 3_600_000, ...quiet, ...opts });
  stops.push(async () => {
    await server.stop();
    port1.close();
    port2.close();
  });
  const worker: WorkerLike & { close(): void } = {
    postMessage: (m: ToWorker) => port1.postMessage(m),
    addEventListener: (type, l) => port1.addEventListener(type, l as (ev: Event) => void),
    removeEventListener: (type, l) => port1.removeEventListener(type, l as (ev: Event) => void),
    start: () => port1.start(),
    close: () => port1.close(),
  };
  return createClient({ name, durability, worker });
}

/**
 * A store whose writes can be held (`gate`) or made to fail (`fail`), counting them: what quota errors,
 * aborted transactions and slow disks look like to the persister.
 */
function controlled() {
  const c = {
    fail: false,
    held: null as Promise<void> | null,
    writes: [] as WriteSet[],
    store: null as Store | null,
    hold(): () => void {
      let release!: () => void;
      c.held = new Promise<void>((r) => (release = r));
      return () => {
        c.held = null;
        release();
      };
    },
    open: async (name: string): Promise<Store> => {
      const s = await Store.open(name);
      c.store = s;
      const write = s.write.bind(s);
      s.write = async (w, d) => {
        c.writes.push(w);
        if (c.held !== null) await c.held;
        if (c.fail) {
          const e = new Error('The quota has been exceeded.');
          e.name = 'QuotaExceededError';
          throw e;
        }
        return write(w, d);
      };
      return s;
    },
  };
  return c;
}

function events(db: TabhiveClient): PersistenceEvent[] {
  const seen: PersistenceEvent[] = [];
  db.onPersistence((e) => seen.push(e));
  return seen;
}

async function stored(name: string): Promise<StoredRecord[]> {
  const db = await openDB<TabhiveSchema>(databaseName(name));
  try {
    return await db.getAll(STORE);
  } finally {
    db.close();
  }
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
  return done;
};

describe("durability 'always'", () => {
  it('a write resolves only once the transaction holding it completed; a burst is one transaction', async () => {
    const name = freshName();
    const c = controlled();
    const db = await client(name, 'always', { openStore: c.open });
    expect(db.persistence.durability).toBe('always');
    const release = c.hold();
    const sets = Array.from({ length: 1000 }, (_, i) => db.set(`k${i}`, String(i)));
    const all = Promise.all(sets);
    expect(await settled(all)).toBe(false);
    // Reads of the same tick wait with them: nothing unsaved is shown before it is stored.
    expect(await settled(db.get('k1'))).toBe(false);
    expect(c.writes).toHaveLength(1);
    expect(c.writes[0].put).toHaveLength(1000);
    release();
    expect(await all).toHaveLength(1000);
    expect(await stored(name)).toHaveLength(1000);
    // Nothing unsaved: a read answers at once, no transaction.
    expect(await db.get('k999')).toBe('999');
    expect(c.writes).toHaveLength(1);
  });

  it('a blocking pop served by a push is answered once the pop is stored', async () => {
    const name = freshName();
    const c = controlled();
    const db = await client(name, 'always', { openStore: c.open });
    const waiter = db.duplicate();
    const popped = waiter.sendCommand(['BLPOP', 'q', 0]);
    await new Promise((r) => setTimeout(r, 5));
    const release = c.hold();
    const pushed = db.sendCommand(['RPUSH', 'q', 'x']);
    expect(await settled(popped)).toBe(false);
    release();
    expect(await popped).toEqual(['q', 'x']);
    expect(await pushed).toBe(1);
    expect(await stored(name)).toEqual([]);
  });

  it('a failed commit: pending writes reject with MISCONF, reads go on, writes resume by themselves', async () => {
    const name = freshName();
    const c = controlled();
    const db = await client(name, 'always', { openStore: c.open, persister: { retryMs: 20, maxBackoffMs: 40 } });
    const seen = events(db);
    await db.set('kept', 'v');
    c.fail = true;
    const [a, b, got] = await Promise.allSettled([db.set('a', '1'), db.incr('n'), db.get('kept')]);
    expect(a).toMatchObject({ status: 'rejected', reason: expect.any(ReplyError) });
    expect((a as PromiseRejectedResult).reason.message).toBe(MISCONF);
    expect((b as PromiseRejectedResult).reason.message).toBe(MISCONF);
    expect(got).toEqual({ status: 'fulfilled', value: 'v' });
    await expect(db.set('c', '1')).rejects.toThrow(MISCONF);
    await expect(db.ping()).rejects.toThrow(MISCONF);
    expect(await db.get('kept')).toBe('v');
    expect(seen.map((e) => e.type)).toEqual(['write-failed']);
    expect(db.persistence.writeError).toMatch(/QuotaExceededError/);
    c.fail = false;
    await expect.poll(() => seen.map((e) => e.type), { interval: 5, timeout: 2000 }).toEqual([
      'write-failed',
      'write-resumed',
    ]);
    expect(db.persistence.writeError).toBeUndefined();
    expect(await db.set('c', '1')).toBe('OK');
    // The writes refused after they ran stay in memory and were written by the retry.
    expect((await stored(name)).map((r) => r.key).sort()).toEqual(['a', 'c', 'kept', 'n']);
  });

  it('a commit that hangs: pending writes reject within the time limit', async () => {
    const name = freshName();
    const c = controlled();
    const db = await client(name, 'always', {
      openStore: (n) => c.open(n),
      persister: { retryMs: 3_600_000, maxBackoffMs: 3_600_000 },
    });
    await db.set('a', '1');
    const store = c.store!;
    (store as unknown as { opts: { writeTimeoutMs: number } }).opts.writeTimeoutMs = 100;
    // Another connection keeps a readwrite transaction busy: ours queues behind it and never completes.
    const other = await openDB<TabhiveSchema>(databaseName(name));
    const busy = unwrap(other.transaction(STORE, 'readwrite')).objectStore(STORE) as IDBObjectStore;
    let spinning = true;
    const spin = () => {
      if (spinning) busy.get([0, 'x']).onsuccess = spin;
    };
    spin();
    const started = Date.now();
    await expect(db.set('b', '2')).rejects.toThrow(MISCONF);
    expect(Date.now() - started).toBeLessThan(1500);
    spinning = false;
    other.close();
  });

  it('a connection the browser closed is reopened; the write is acknowledged once stored', async () => {
    const name = freshName();
    const c = controlled();
    const db = await client(name, 'always', { openStore: c.open });
    const seen = events(db);
    await db.set('a', '1');
    forceCloseDatabase(unwrap((c.store as unknown as { db: IDBPDatabase }).db) as never);
    expect(await db.set('b', '2')).toBe('OK');
    expect((await stored(name)).map((r) => r.key)).toEqual(['a', 'b']);
    expect(seen.map((e) => e.type)).toEqual(['reconnected']);
  });
});

describe('modes and reloads', () => {
  it('DBSIZE, values and TTLs after a reload; INFO reports the load', async () => {
    const name = freshName();
    const db = await client(name);
    for (let i = 0; i < 50; i++) await db.set(`k${i}`, String(i));
    await db.set('ttl', 'v', { PX: 60_000 });
    await db.set('gone', 'v', { PX: 1 });
    await new Promise((r) => setTimeout(r, 5));
    await db.flush();
    await db.quit();
    const again = await client(name);
    expect(await again.dbSize()).toBe(51);
    expect(await again.pTTL('ttl')).toBeGreaterThan(59_000);
    expect(again.persistence).toMatchObject({ loaded: 51, corrupt: 0 });
    const info = String(await again.sendCommand(['INFO', 'persistence']));
    expect(info).toContain('rdb_last_load_keys_loaded:51\r\n');
    expect(info).toContain('aof_enabled:1\r\n');
    expect(info).toContain('tabhive_durability:everysec\r\n');
  });

  it("CONFIG SET appendfsync switches the mode; the page's status follows", async () => {
    const name = freshName();
    const c = controlled();
    const db = await client(name, 'everysec', { openStore: c.open });
    const seen = events(db);
    expect(await db.sendCommand(['CONFIG', 'SET', 'appendfsync', 'always'])).toBe('OK');
    expect(db.persistence.durability).toBe('always');
    expect(seen).toEqual([{ type: 'durability', message: 'appendfsync is now always' }]);
    const release = c.hold();
    const set = db.set('a', '1');
    expect(await settled(set)).toBe(false);
    release();
    await set;
    await db.sendCommand(['CONFIG', 'SET', 'appendfsync', 'everysec']);
    const release2 = c.hold();
    expect(await db.set('b', '1')).toBe('OK');
    release2();
  });

  it("'no' writes when idle, and at once when the page asks (hidden, closed)", async () => {
    const name = freshName();
    const db = await client(name, 'no', { persister: { idleMs: 30, maxIdleWaitMs: 10_000 } });
    await db.set('a', '1');
    await expect.poll(async () => (await stored(name)).length, { interval: 5, timeout: 2000 }).toBe(1);
    const slow = await client(freshName(), 'no', { persister: { idleMs: 3_600_000, maxIdleWaitMs: 3_600_000 } });
    await slow.set('a', '1');
    expect(await stored(slow.name)).toHaveLength(0);
    await slow.flush();
    expect(await stored(slow.name)).toHaveLength(1);
  });

  it('SAVE answers once stored; LASTSAVE moves', async () => {
    const name = freshName();
    const db = await client(name);
    const before = Number(await db.sendCommand(['LASTSAVE']));
    await db.set('a', '1');
    expect(await stored(name)).toHaveLength(0);
    expect(await db.sendCommand(['SAVE'])).toBe('OK');
    expect(await stored(name)).toHaveLength(1);
    expect(Number(await db.sendCommand(['LASTSAVE']))).toBeGreaterThanOrEqual(before);
    await expect(db.sendCommand(['BGSAVE', 'NOW'])).rejects.toThrow('ERR syntax error');
  });
});

describe('start-up reports', () => {
  it('damaged records are skipped, reported by an event and in INFO, and the rest loads', async () => {
    const name = freshName();
    const db = await client(name);
    await db.set('good', 'v');
    await db.set('bad', 'value');
    await db.quit();
    const raw = await openDB<TabhiveSchema>(databaseName(name));
    const rec = (await raw.get(STORE, [0, 'bad']))!;
    await raw.put(STORE, { ...rec, value: 'valuX' });
    raw.close();
    const again = await client(name);
    expect(again.persistence).toMatchObject({ loaded: 1, corrupt: 1 });
    const seen = events(again);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0].type).toBe('corrupt');
    expect(seen[0].message).toContain('db 0 key "bad": checksum mismatch');
    expect(await again.get('good')).toBe('v');
    expect(await again.get('bad')).toBe(null);
    expect(String(await again.sendCommand(['INFO', 'persistence']))).toContain('tabhive_load_records_corrupt:1\r\n');
  });

  it('IndexedDB that cannot be opened: memory-only, flagged by an event and in INFO; the app keeps working', async () => {
    const db = await client(freshName(), 'always', {
      openStore: () => Promise.reject(Object.assign(new Error('Internal error opening backing store'), { name: 'UnknownError' })),
    });
    const seen = events(db);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual({
      type: 'memory-only',
      message: 'IndexedDB unavailable (UnknownError: Internal error opening backing store); data is kept in memory only',
    });
    expect(db.persistence.persistent).toBe(false);
    expect(await db.set('k', 'v')).toBe('OK');
    expect(await db.get('k')).toBe('v');
    const info = String(await db.sendCommand(['INFO', 'persistence']));
    expect(info).toContain('tabhive_storage:memory-only\r\n');
    expect(info).toContain('aof_enabled:0\r\n');
    await expect(db.sendCommand(['SAVE'])).rejects.toThrow(/^ERR$/);
  });

  it('opening retries a transient failure a bounded number of times', async () => {
    let tries = 0;
    const saved = indexedDB.open.bind(indexedDB);
    indexedDB.open = ((n: string, v?: number) => {
      tries++;
      if (tries < 3) throw Object.assign(new Error('Internal error opening backing store'), { name: 'UnknownError' });
      return saved(n, v);
    }) as typeof indexedDB.open;
    try {
      const db = await client(freshName());
      expect(db.persistence.persistent).toBe(true);
      expect(tries).toBe(3);
    } finally {
      indexedDB.open = saved;
    }
  });
});
