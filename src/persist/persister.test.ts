import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testEngine, type TestEngine } from '../../test/helpers.js';
import { BLOCKED } from '../engine/blocking.js';
import { MISCONF } from '../engine/commands/persist.js';
import { ObjType } from '../engine/keyspace.js';
import type { Reply } from '../engine/reply.js';
import { recordChecksum } from './checksum.js';
import { loadRecords, Persister, WRITE_CHUNK, type PersisterEvent, type PersisterOptions } from './persister.js';
import { databaseName, DB_VERSION, makeRecord, STORE, type StoredRecord, type TabhiveSchema } from './schema.js';
import { Store, type OpenOptions, type WriteSet } from './store.js';

let seq = 0;
function freshName(): string {
  return `persist-test-${process.pid}-${++seq}`;
}

const open: Store[] = [];
const persisters: Persister[] = [];
async function openStore(name: string, opts?: OpenOptions): Promise<Store> {
  const s = await Store.open(name, opts);
  open.push(s);
  return s;
}

afterEach(async () => {
  for (const p of persisters.splice(0)) await p.close().catch(() => {});
  for (const s of open.splice(0)) s.close();
});

/** Every stored record, straight from IndexedDB. */
async function stored(name: string): Promise<StoredRecord[]> {
  const db = await openDB<TabhiveSchema>(databaseName(name));
  try {
    return await db.getAll(STORE);
  } finally {
    db.close();
  }
}

/** Replace stored records behind the engine's back (a damaged disk, an older writer). */
async function tamper(name: string, edit: (r: StoredRecord) => unknown): Promise<void> {
  const db = await openDB<TabhiveSchema>(databaseName(name));
  try {
    const tx = db.transaction(STORE, 'readwrite');
    for (const r of await tx.store.getAll()) {
      const v = edit(r);
      if (v !== undefined) await tx.store.put(v as StoredRecord);
    }
    await tx.done;
  } finally {
    db.close();
  }
}

/** A persister whose timers never fire on their own during a test (flushes are explicit) unless told. */
function persister(t: TestEngine, store: Store | null, opts: PersisterOptions = {}): Persister {
  const p = new Persister(t.engine, store, { delayMs: 3_600_000, idleMs: 3_600_000, ...opts });
  persisters.push(p);
  return p;
}

/** A store whose writes fail while `fail.on` (as a quota error does), counting the writes tried. */
function failing(store: Store): { store: Store; fail: { on: boolean }; writes: WriteSet[] } {
  const fail = { on: false };
  const writes: WriteSet[] = [];
  const write = store.write.bind(store);
  store.write = (w, d, chunk) => {
    writes.push(w);
    if (!fail.on) return write(w, d, chunk);
    const e = new Error('The quota has been exceeded.');
    e.name = 'QuotaExceededError';
    return Promise.reject(e);
  };
  return { store, fail, writes };
}

/** Run a command that may answer later (SAVE): its reply, once there. */
function reply(t: TestEngine, ...args: (string | number)[]): Promise<Reply> {
  const r = t.cmd(...args);
  if (r !== BLOCKED) return Promise.resolve(r);
  return new Promise((resolve) => (t.session.onUnblock = resolve));
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('schema', () => {
  it('names the database tabhive:<name> with one store keyed by [db, key]', async () => {
    const name = freshName();
    await openStore(name);
    const db = await openDB(databaseName(name));
    expect(db.name).toBe(`tabhive:${name}`);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toEqual(['keys', 'meta']);
    const tx = db.transaction('keys');
    expect(tx.store.keyPath).toEqual(['db', 'key']);
    await tx.done;
    db.close();
  });

  it('upgrades a version 1 database: every record gets its checksum and loads', async () => {
    const name = freshName();
    const v1 = await openDB(databaseName(name), 1, {
      upgrade: (db) => db.createObjectStore(STORE, { keyPath: ['db', 'key'] }),
    });
    await v1.put(STORE, { db: 0, key: 'a', type: ObjType.String, value: '1', expireAt: 0 });
    await v1.put(STORE, { db: 2, key: 'l', type: ObjType.List, value: ['x', 'y'], expireAt: 0 });
    v1.close();
    const store = await openStore(name);
    const recs = await stored(name);
    expect(recs.map((r) => r.crc)).toEqual(recs.map((r) => recordChecksum(r)));
    const t = testEngine();
    expect(loadRecords(t.engine, await store.loadAll())).toMatchObject({ loaded: 2, corrupt: 0 });
  });
});

describe('checksum', () => {
  it('differs for every field and for the shape of a value', () => {
    const base = { db: 0, key: 'k', type: ObjType.List, value: ['ab'] as unknown, expireAt: 0 };
    const c = recordChecksum(base);
    expect(recordChecksum({ ...base })).toBe(c);
    for (const other of [
      { ...base, db: 1 },
      { ...base, key: 'K' },
      { ...base, type: ObjType.Set },
      { ...base, expireAt: 1 },
      { ...base, value: ['a', 'b'] },
      { ...base, value: ['ab', ''] },
      { ...base, value: [['ab']] },
      { ...base, value: ['a\u0162'] },
    ]) {
      expect(recordChecksum(other)).not.toBe(c);
    }
    expect(recordChecksum({ ...base, value: [0] })).not.toBe(recordChecksum({ ...base, value: [-0] }));
    expect(() => recordChecksum({ ...base, value: [null] })).toThrow(TypeError);
  });
});

describe('flush', () => {
  it('puts changed keys and deletes removed ones, in one transaction, each record with its checksum', async () => {
    const name = freshName();
    const t = testEngine();
    const { store, writes } = failing(await openStore(name));
    const p = persister(t, store);
    t.cmd('SET', 'a', '1');
    t.cmd('SET', 'b', '2');
    t.cmd('SET', 'gone', 'x');
    await p.flush();
    t.cmd('DEL', 'gone');
    t.cmd('SET', 'a', 'one');
    await p.flush();
    expect(writes).toHaveLength(2);
    const recs = await stored(name);
    expect(recs.map((r) => [r.db, r.key, r.value])).toEqual([
      [0, 'a', 'one'],
      [0, 'b', '2'],
    ]);
    for (const r of recs) expect(r.crc).toBe(recordChecksum(r));
    expect(p.pending()).toBe(false);
  });

  it('keeps binary keys distinct, and __proto__ an ordinary key', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.engine.execute(t.session, ['SET', '\xff', 'ff']);
    t.engine.execute(t.session, ['SET', '\xfe', 'fe']);
    t.cmd('SET', '__proto__', 'p');
    t.cmd('SET', 'é', 'é');
    await p.flush();
    const keys = (await stored(name)).map((r) => r.key).sort();
    expect(keys).toEqual(['__proto__', '\xc3\xa9', '\xfe', '\xff'].sort());
  });

  it('stores the absolute expiry time', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'k', 'v', 'PX', 5000);
    await p.flush();
    const [r] = await stored(name);
    expect(r.expireAt).toBe(t.clock.t + 5000);
  });

  it('rewrites a flushed db whole and leaves the other dbs alone', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'a', '1');
    t.cmd('SELECT', 1);
    t.cmd('SET', 'b', '2');
    await p.flush();
    t.cmd('FLUSHDB');
    t.cmd('SET', 'c', '3');
    await p.flush();
    expect((await stored(name)).map((r) => [r.db, r.key])).toEqual([
      [0, 'a'],
      [1, 'c'],
    ]);
  });

  it('deletes a key that expired before the flush instead of writing it', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'k', 'v', 'PX', 100);
    await p.flush();
    expect(await stored(name)).toHaveLength(1);
    t.cmd('SET', 'k', 'v2', 'PX', 100);
    t.clock.t += 200;
    await p.flush();
    expect(await stored(name)).toHaveLength(0);
  });

  it('updates dirty, lastsave and rdb_saves like a save', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'a', '1');
    t.cmd('SET', 'b', '1');
    expect(t.engine.dirty).toBe(2);
    t.clock.t += 5000;
    await p.flush();
    expect(t.engine.dirty).toBe(0);
    expect(t.engine.lastSave).toBe(t.clock.t);
    expect(info(t).get('rdb_saves')).toBe('1');
  });

  it('writes a set that cannot be stored not at all, and keeps its changes for the retry', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'first', '1');
    t.cmd('SET', 'bad', 'x');
    t.cmd('SET', 'last', '3');
    // A value that cannot be checksummed or cloned makes the write fail while it is being issued.
    const e = t.session.db.dict.get('bad')!;
    e.value = () => 'not cloneable';
    await expect(p.flush()).rejects.toThrow();
    expect(await stored(name)).toEqual([]);
    expect(p.pending()).toBe(true);
    t.cmd('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
    t.cmd('SET', 'bad', 'fixed');
    await p.flush();
    expect((await stored(name)).map((r) => r.key)).toEqual(['bad', 'first', 'last']);
  });

  it('calls made before a flush starts share it (group commit)', async () => {
    const name = freshName();
    const t = testEngine();
    const { store, writes } = failing(await openStore(name));
    const p = persister(t, store);
    t.cmd('SET', 'a', '1');
    const f1 = p.flush();
    t.cmd('SET', 'b', '2');
    const f2 = p.flush();
    const f3 = p.flush();
    t.cmd('SET', 'c', '3');
    await Promise.all([f1, f2, f3]);
    expect(writes).toHaveLength(1);
    expect((await stored(name)).map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });

  it('a flush asked for while one is in flight waits for it, then writes what came since', async () => {
    const name = freshName();
    const t = testEngine();
    const { store, writes } = failing(await openStore(name));
    const p = persister(t, store);
    t.cmd('SET', 'a', '1');
    const f1 = p.flush();
    await tick();
    t.cmd('SET', 'b', '2');
    const f2 = p.flush();
    await f2;
    expect(writes.map((w) => w.put.map((r) => r.key))).toEqual([['a'], ['b']]);
    await f1;
  });

  it('without a store drains the change sets and forgets them', async () => {
    const t = testEngine();
    const p = persister(t, null);
    t.cmd('SET', 'a', '1');
    expect(p.pending()).toBe(true);
    await p.flush();
    expect(p.pending()).toBe(false);
    expect(t.session.db.changed.size).toBe(0);
  });

  it('an engine with no persistence layer records no changed keys (serve, durability memory)', () => {
    const t = testEngine();
    for (let i = 0; i < 100; i++) t.cmd('SET', `k${i}`, '1');
    t.cmd('DEL', 'k0');
    expect(t.session.db.changed.size).toBe(0);
    persister(t, null);
    t.cmd('SET', 'a', '1');
    expect([...t.session.db.changed]).toEqual(['a']);
  });
});

describe('writing in chunks', () => {
  /** Runs of IDBObjectStore.put calls issued without a turn in between, and what they were asked to store. */
  function watchPuts(): { runs: number[]; restore(): void } {
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    const runs: number[] = [];
    let inRun = false;
    const spy = vi.spyOn(proto, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (!inRun) {
        runs.push(0);
        inRun = true;
        queueMicrotask(() => (inRun = false));
      }
      runs[runs.length - 1]++;
      return put.apply(this, args);
    });
    return { runs, restore: () => spy.mockRestore() };
  }
  const records = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => makeRecord({ db: 0, key: `k${from + i}`, type: ObjType.String, value: 'v', expireAt: 0 }));

  it('a chunked write issues its puts a chunk per turn and stores them all in one transaction', async () => {
    const name = freshName();
    const store = await openStore(name);
    const w = watchPuts();
    try {
      await store.write({ clear: [], del: [], put: records(10) }, 'default', 3);
    } finally {
      w.restore();
    }
    expect(w.runs).toEqual([3, 3, 3, 1]);
    expect((await stored(name)).map((r) => r.key).sort()).toEqual(records(10).map((r) => r.key).sort());
  });

  it('a chunk that cannot be stored aborts the whole write: nothing of it is kept', async () => {
    const name = freshName();
    const store = await openStore(name);
    const bad = records(10);
    (bad[7] as { value: unknown }).value = () => 'a function cannot be cloned';
    await expect(store.write({ clear: [], del: [], put: bad }, 'default', 3)).rejects.toBeDefined();
    expect(await stored(name)).toEqual([]);
  });

  it('hurry() issues the rest of a chunked write at its next turn', async () => {
    const name = freshName();
    const store = await openStore(name);
    const w = watchPuts();
    try {
      const p = store.write({ clear: [], del: [], put: records(10) }, 'default', 2);
      store.hurry();
      await p;
    } finally {
      w.restore();
    }
    expect(w.runs).toEqual([2, 8]);
    expect(await stored(name)).toHaveLength(10);
  });

  it('the timer’s flush writes in chunks; a flush someone waits for does not, and hurries one in progress', async () => {
    const name = freshName();
    const store = await openStore(name);
    const chunks: number[] = [];
    const write = store.write.bind(store);
    const t = testEngine();
    const p = persister(t, store, { delayMs: 0 });
    const hurry = vi.spyOn(store, 'hurry');
    let waited: Promise<void> | null = null;
    store.write = (w, d, chunk = 0) => {
      chunks.push(chunk);
      const done = write(w, d, chunk);
      if (waited === null) {
        // The background write is in flight: a caller who waits hurries it, then writes its own at once.
        expect(hurry).not.toHaveBeenCalled();
        t.cmd('SET', 'b', '2');
        waited = p.flush();
      }
      return done;
    };
    t.cmd('SET', 'a', '1');
    await vi.waitUntil(() => waited !== null);
    await waited;
    expect(hurry).toHaveBeenCalledTimes(1);
    expect(chunks).toEqual([WRITE_CHUNK, 0]);
    expect((await stored(name)).map((r) => r.key).sort()).toEqual(['a', 'b']);
  });
});

describe('appendfsync', () => {
  it('everysec (the default) flushes on its own within delayMs of a change', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name), { delayMs: 5 });
    expect(t.engine.config.get('appendfsync')).toBe('everysec');
    t.cmd('SET', 'a', '1');
    await expect.poll(async () => (await stored(name)).length, { interval: 5, timeout: 2000 }).toBe(1);
    expect(p.pending()).toBe(false);
  });

  it('no: flushes once the engine has been idle for idleMs', async () => {
    const name = freshName();
    const t = testEngine();
    persister(t, await openStore(name), { mode: 'no', idleMs: 60, maxIdleWaitMs: 60_000 });
    const start = Date.now();
    // Changes every 10 ms for 150 ms: nothing is written while they come.
    for (let i = 0; i < 15; i++) {
      t.cmd('SET', `k${i}`, i);
      await tick(10);
      expect(await stored(name)).toHaveLength(0);
    }
    await expect.poll(async () => (await stored(name)).length, { interval: 5, timeout: 2000 }).toBe(15);
    expect(Date.now() - start).toBeGreaterThanOrEqual(150 + 50);
  });

  it('no: flushes at the latest maxIdleWaitMs after the first unsaved change, idle or not', async () => {
    const name = freshName();
    const t = testEngine();
    persister(t, await openStore(name), { mode: 'no', idleMs: 50, maxIdleWaitMs: 120 });
    let i = 0;
    const deadline = Date.now() + 1000;
    while ((await stored(name)).length === 0 && Date.now() < deadline) {
      t.cmd('SET', `k${i++}`, 1);
      await tick(10);
    }
    expect((await stored(name)).length).toBeGreaterThan(0);
    expect(i).toBeLessThan(40);
  });

  it('always: ackGate holds replies until one strict transaction stores every change of the burst', async () => {
    const name = freshName();
    const t = testEngine();
    const base = await openStore(name);
    const durabilities: string[] = [];
    const write = base.write.bind(base);
    base.write = (w, d) => {
      durabilities.push(d ?? 'default');
      return write(w, d);
    };
    const p = persister(t, base, { mode: 'always' });
    expect(t.engine.config.get('appendfsync')).toBe('always');
    expect(p.ackGate(false)).toBeNull();
    for (let i = 0; i < 1000; i++) t.cmd('SET', `k${i}`, i);
    const gate = p.ackGate(true)!;
    expect(gate).not.toBeNull();
    // A second batch of the same tick joins the same transaction.
    t.cmd('SET', 'late', 'x');
    const gate2 = p.ackGate(true)!;
    expect(await gate).toBe(true);
    expect(await gate2).toBe(true);
    expect(durabilities).toEqual(['strict']);
    expect(await stored(name)).toHaveLength(1001);
    expect(p.ackGate(false)).toBeNull();
  });

  it('CONFIG SET appendfsync switches the mode at run time, and says so', async () => {
    const name = freshName();
    const t = testEngine();
    const events: PersisterEvent[] = [];
    const p = persister(t, await openStore(name), { onEvent: (e) => events.push(e) });
    t.cmd('SET', 'a', '1');
    expect(p.ackGate(true)).toBeNull();
    expect(t.cmd('CONFIG', 'SET', 'appendfsync', 'always')).toEqual({ k: 'simple', s: 'OK' });
    expect(p.fsync).toBe('always');
    expect(await p.ackGate(true)).toBe(true);
    t.cmd('CONFIG', 'SET', 'appendfsync', 'no');
    t.cmd('SET', 'b', '1');
    expect(p.ackGate(true)).toBeNull();
    expect(events.map((e) => e.message)).toEqual(['appendfsync is now always', 'appendfsync is now no']);
    expect(info(t).get('tabhive_durability')).toBe('no');
  });
});

describe('failures', () => {
  it('a failed write: held replies learn it, writes get MISCONF while reads go on, and all resumes by itself', async () => {
    const name = freshName();
    const t = testEngine();
    const events: PersisterEvent[] = [];
    const { store, fail } = failing(await openStore(name));
    const p = persister(t, store, { mode: 'always', retryMs: 20, maxBackoffMs: 40, onEvent: (e) => events.push(e) });
    t.cmd('SET', 'kept', 'v');
    expect(await p.ackGate(true)).toBe(true);
    fail.on = true;
    t.cmd('SET', 'a', '1');
    expect(await p.ackGate(true)).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['write-failed']);
    expect(events[0].message).toContain('QuotaExceededError');
    // Redis's stop-writes-on-bgsave-error: writes (and PING) refused, reads answered.
    expect(t.cmd('SET', 'b', '2')).toEqual({ k: 'err', msg: MISCONF });
    expect(t.cmd('PING')).toEqual({ k: 'err', msg: MISCONF });
    expect(t.cmd('GET', 'kept')).toBe('v');
    expect(t.cmd('DBSIZE')).toBe(2);
    expect(p.ackGate(false)).toBeNull();
    t.cmd('MULTI');
    expect(t.cmd('SET', 'c', '3')).toEqual({ k: 'err', msg: MISCONF });
    expect(t.cmd('EXEC')).toEqual({ k: 'err', msg: 'EXECABORT Transaction discarded because of previous errors.' });
    const i = info(t);
    expect(i.get('rdb_last_bgsave_status')).toBe('err');
    expect(i.get('aof_last_write_status')).toBe('err');
    expect(i.get('tabhive_storage_error')).toContain('QuotaExceededError');
    // The store recovers: the retry writes what was pending, and writes are accepted again.
    fail.on = false;
    await expect.poll(() => events.length, { interval: 5, timeout: 2000 }).toBe(2);
    expect(events[1].type).toBe('write-resumed');
    expect(t.cmd('SET', 'b', '2')).toEqual({ k: 'simple', s: 'OK' });
    expect(await p.ackGate(true)).toBe(true);
    expect((await stored(name)).map((r) => r.key)).toEqual(['a', 'b', 'kept']);
  });

  it('EXEC of a transaction queued before the failure is discarded with MISCONF', async () => {
    const t = testEngine();
    const { store, fail } = failing(await openStore(freshName()));
    const p = persister(t, store);
    t.cmd('MULTI');
    t.cmd('SET', 'q', '1');
    const other = t.engine.createSession();
    fail.on = true;
    t.on(other, 'SET', 'x', '1');
    await expect(p.flush()).rejects.toThrow();
    expect(t.cmd('EXEC')).toEqual({ k: 'err', msg: `EXECABORT Transaction discarded because of: ${MISCONF}` });
    expect(t.cmd('GET', 'q')).toBe(null);
  });

  it('stop-writes-on-bgsave-error no: writes go on while flushes fail', async () => {
    const t = testEngine();
    const { store, fail } = failing(await openStore(freshName()));
    const p = persister(t, store);
    t.cmd('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
    fail.on = true;
    t.cmd('SET', 'a', '1');
    await expect(p.flush()).rejects.toThrow();
    expect(t.cmd('SET', 'b', '2')).toEqual({ k: 'simple', s: 'OK' });
    expect(p.writeError()).toBeNull();
  });

  it('a write that neither completes nor aborts fails at the time limit', async () => {
    const name = freshName();
    const t = testEngine();
    const store = await openStore(name, { writeTimeoutMs: 100, writeTimeoutPerRecordMs: 0 });
    const p = persister(t, store);
    // Another connection keeps a readwrite transaction on the store busy: ours queues behind it.
    const other = await openDB<TabhiveSchema>(databaseName(name));
    const busy = unwrap(other.transaction(STORE, 'readwrite')).objectStore(STORE) as IDBObjectStore;
    let spinning = true;
    const spin = () => {
      if (spinning) busy.get([0, 'x']).onsuccess = spin;
    };
    spin();
    t.cmd('SET', 'a', '1');
    const started = Date.now();
    await expect(p.flush()).rejects.toThrow(/did not complete within 100 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
    spinning = false;
    other.close();
    expect(p.pending()).toBe(true);
    t.cmd('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
    await p.flush();
    expect((await stored(name)).map((r) => r.key)).toEqual(['a']);
  });

  it('a connection the browser closed is reopened before the next write; nothing is lost', async () => {
    const name = freshName();
    const t = testEngine();
    const events: PersisterEvent[] = [];
    const store = await openStore(name);
    const p = persister(t, store, { mode: 'always', onEvent: (e) => events.push(e) });
    t.cmd('SET', 'a', '1');
    expect(await p.ackGate(true)).toBe(true);
    forceCloseDatabase(unwrap((store as unknown as { db: IDBPDatabase }).db) as never);
    expect(store.lost).not.toBeNull();
    t.cmd('SET', 'b', '2');
    expect(await p.ackGate(true)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['reconnected']);
    expect((await stored(name)).map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('a newer version opened elsewhere: the old connection steps aside at once and goes memory-only', async () => {
    const name = freshName();
    const t = testEngine();
    const events: PersisterEvent[] = [];
    const old = await openStore(name, { version: DB_VERSION });
    const p = persister(t, old, { onEvent: (e) => events.push(e) });
    t.cmd('SET', 'a', '1');
    await p.flush();
    const started = Date.now();
    const newer = await openStore(name, { version: DB_VERSION + 1, timeoutMs: 2000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events).toEqual([
      {
        type: 'memory-only',
        message: `IndexedDB connection lost (another tab opened a newer version (${DB_VERSION + 1}) of the database); data is kept in memory only from now on`,
      },
    ]);
    expect(p.persistent).toBe(false);
    expect(t.cmd('SET', 'b', '2')).toEqual({ k: 'simple', s: 'OK' });
    expect(info(t).get('tabhive_storage')).toBe('memory-only');
    await expect(reply(t, 'SAVE')).resolves.toEqual({ k: 'err', msg: 'ERR' });
    expect((await newer.loadAll()).length).toBe(1);
  });

  it('an older connection that does not step aside: opening gives up at the time limit, without retrying', async () => {
    const name = freshName();
    await openStore(name);
    // An old tab without a versionchange handler keeps its connection.
    const stubborn = await openDB(databaseName(name), DB_VERSION);
    const started = Date.now();
    await expect(Store.open(name, { version: DB_VERSION + 1, timeoutMs: 150 })).rejects.toMatchObject({
      name: 'BlockedError',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    stubborn.close();
  });

  it('fails to open loudly when IndexedDB is missing', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a context without IndexedDB
    delete globalThis.indexedDB;
    try {
      await expect(Store.open('nope')).rejects.toThrow('IndexedDB is not available here');
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

describe('load', () => {
  it('loads every record, with its TTL', async () => {
    const name = freshName();
    const a = testEngine();
    const pa = persister(a, await openStore(name));
    a.cmd('SET', 's', 'v');
    a.cmd('SET', 't', 'v', 'PX', 10_000);
    a.cmd('SELECT', 3);
    a.cmd('SET', 'in3', 'x');
    await pa.flush();

    const b = testEngine(a.clock.t + 1000);
    const res = loadRecords(b.engine, await (await openStore(name)).loadAll());
    expect(res).toEqual({ loaded: 3, expired: 0, corrupt: 0, problems: [] });
    expect(b.cmd('GET', 's')).toBe('v');
    expect(b.cmd('PTTL', 't')).toBe(9000);
    expect(b.cmd('DBSIZE')).toBe(2);
    b.cmd('SELECT', 3);
    expect(b.cmd('GET', 'in3')).toBe('x');
    // Loading is not a change.
    expect(b.engine.dirty).toBe(0);
  });

  it('does not resurrect expired keys, and deletes them with the next flush', async () => {
    const name = freshName();
    const a = testEngine();
    const pa = persister(a, await openStore(name));
    a.cmd('SET', 'short', 'v', 'PX', 100);
    a.cmd('SET', 'long', 'v', 'PX', 100_000);
    await pa.flush();

    const b = testEngine(a.clock.t + 1000);
    const store = await openStore(name);
    const res = loadRecords(b.engine, await store.loadAll());
    expect(res).toMatchObject({ loaded: 1, expired: 1, corrupt: 0 });
    expect(b.cmd('EXISTS', 'short')).toBe(0);
    const pb = persister(b, store, { load: res });
    expect(info(b).get('rdb_last_load_keys_expired')).toBe('1');
    expect(info(b).get('rdb_last_load_keys_loaded')).toBe('1');
    await pb.flush();
    expect((await stored(name)).map((r) => r.key)).toEqual(['long']);
  });

  it('skips damaged records (checksum, truncation, lost fields), reports them, loads the rest', async () => {
    const name = freshName();
    const a = testEngine();
    const pa = persister(a, await openStore(name));
    for (const k of ['ok1', 'flipped', 'truncated', 'nocrc', 'badtype', 'ok2']) a.cmd('SET', k, 'value');
    a.cmd('RPUSH', 'list', 'a', 'b', 'c');
    a.cmd('RPUSH', 'shortlist', 'a', 'b', 'c');
    await pa.flush();
    await tamper(name, (r) => {
      switch (r.key) {
        case 'flipped':
          return { ...r, value: 'valuf' };
        case 'truncated':
          return { ...r, value: 'val' };
        case 'nocrc':
          return { db: r.db, key: r.key, type: r.type, value: r.value, expireAt: r.expireAt };
        case 'badtype':
          return { ...r, type: 'string' };
        case 'shortlist':
          return { ...r, value: ['a', 'b'] };
      }
      return undefined;
    });
    const b = testEngine(a.clock.t);
    const store = await openStore(name);
    const res = loadRecords(b.engine, await store.loadAll());
    expect(res.loaded).toBe(3);
    expect(res.corrupt).toBe(5);
    expect(res.problems.sort()).toEqual([
      'db 0 key "badtype": bad type',
      'db 0 key "flipped": checksum mismatch',
      'db 0 key "nocrc": no checksum',
      'db 0 key "shortlist": checksum mismatch',
      'db 0 key "truncated": checksum mismatch',
    ]);
    expect(b.cmd('GET', 'ok1')).toBe('value');
    expect(b.cmd('LRANGE', 'list', 0, -1)).toEqual(['a', 'b', 'c']);
    expect(b.cmd('EXISTS', 'flipped', 'truncated', 'shortlist')).toBe(0);
    const pb = persister(b, store, { load: res });
    expect(info(b).get('tabhive_load_records_corrupt')).toBe('5');
    // Left on disk as they were; a new write of the key replaces the damaged record.
    b.cmd('SET', 'flipped', 'new');
    await pb.flush();
    const after = new Map((await stored(name)).map((r) => [r.key, r]));
    expect(after.get('truncated')!.value).toBe('val');
    expect(after.get('flipped')!.value).toBe('new');
    expect(after.get('flipped')!.crc).toBe(recordChecksum(after.get('flipped')!));
  });

  it('a record whose checksum holds but whose value cannot be revived is skipped too', async () => {
    const name = freshName();
    const store = await openStore(name);
    await store.write({
      clear: [],
      del: [],
      put: [
        makeRecord({ db: 0, key: 'ok', type: ObjType.String, value: 'v', expireAt: 0 }),
        makeRecord({ db: 0, key: 'odd', type: 99 as ObjType, value: [], expireAt: 0 }),
        makeRecord({ db: 16, key: 'nodb', type: ObjType.String, value: 'v', expireAt: 0 }),
      ],
    });
    const t = testEngine();
    expect(loadRecords(t.engine, await store.loadAll())).toEqual({
      loaded: 1,
      expired: 0,
      corrupt: 2,
      problems: ['db 0 key "odd": cannot be revived', 'db 16 key "nodb": bad db index'],
    });
  });

  it('round-trips every collection type with its encoding', async () => {
    const name = freshName();
    const a = testEngine();
    const pa = persister(a, await openStore(name));
    a.cmd('RPUSH', 'list', 'a', 'b', '\xff');
    a.cmd('HSET', 'hash', 'f', 'v', '__proto__', 'x');
    a.cmd('SADD', 'ints', '1', '2', '3');
    a.cmd('SADD', 'set', 'a', 'b');
    a.cmd('ZADD', 'zset', '1.5', 'm', '-inf', 'n');
    await pa.flush();

    const b = testEngine(a.clock.t);
    expect(loadRecords(b.engine, await (await openStore(name)).loadAll()).corrupt).toBe(0);
    for (const [cmd, key] of [
      ['LRANGE', 'list'], ['HGETALL', 'hash'], ['SMEMBERS', 'ints'], ['SMEMBERS', 'set'], ['ZRANGE', 'zset'],
    ] as const) {
      const args = cmd === 'LRANGE' || cmd === 'ZRANGE' ? [cmd, key, 0, -1] : [cmd, key];
      expect(b.cmd(...args)).toEqual(a.cmd(...args));
      expect(b.cmd('OBJECT', 'ENCODING', key)).toEqual(a.cmd('OBJECT', 'ENCODING', key));
    }
  });
});

describe('SAVE, BGSAVE, LASTSAVE and INFO with a store', () => {
  it('SAVE answers once stored, with LASTSAVE and the counters of a save', async () => {
    const name = freshName();
    const t = testEngine();
    const { store, writes } = failing(await openStore(name));
    persister(t, store);
    t.cmd('SET', 'a', '1');
    t.clock.t += 3000;
    expect(await reply(t, 'SAVE')).toEqual({ k: 'simple', s: 'OK' });
    expect(writes).toHaveLength(1);
    expect((await stored(name)).map((r) => r.key)).toEqual(['a']);
    expect(t.cmd('LASTSAVE')).toBe(Math.floor(t.clock.t / 1000));
    const i = info(t);
    expect(i.get('rdb_changes_since_last_save')).toBe('0');
    expect(i.get('rdb_saves')).toBe('1');
    expect(i.get('rdb_last_bgsave_status')).toBe('ok');
    expect(i.get('aof_enabled')).toBe('1');
    expect(i.get('tabhive_storage')).toBe('indexeddb');
    // A save with nothing to write still counts as one.
    t.clock.t += 2000;
    expect(await reply(t, 'SAVE')).toEqual({ k: 'simple', s: 'OK' });
    expect(t.cmd('LASTSAVE')).toBe(Math.floor(t.clock.t / 1000));
    expect(info(t).get('rdb_saves')).toBe('2');
  });

  it('SAVE that cannot store answers ERR, as Redis does', async () => {
    const t = testEngine();
    const { store, fail } = failing(await openStore(freshName()));
    persister(t, store);
    t.cmd('SET', 'a', '1');
    fail.on = true;
    expect(await reply(t, 'SAVE')).toEqual({ k: 'err', msg: 'ERR' });
    expect(t.cmd('SET', 'b', '1')).toEqual({ k: 'err', msg: MISCONF });
    // SAVE is no write: it may be asked while writes are refused, and a success lifts the refusal.
    fail.on = false;
    expect(await reply(t, 'SAVE')).toEqual({ k: 'simple', s: 'OK' });
    expect(t.cmd('SET', 'b', '1')).toEqual({ k: 'simple', s: 'OK' });
  });

  it('BGSAVE starts a save; a second one meanwhile is refused; SAVE meanwhile too', async () => {
    const name = freshName();
    const t = testEngine();
    persister(t, await openStore(name));
    t.cmd('SET', 'a', '1');
    expect(t.cmd('BGSAVE')).toEqual({ k: 'simple', s: 'Background saving started' });
    expect(t.cmd('BGSAVE')).toEqual({ k: 'err', msg: 'ERR Background save already in progress' });
    expect(t.cmd('SAVE')).toEqual({ k: 'err', msg: 'ERR Background save already in progress' });
    await expect.poll(async () => (await stored(name)).length, { interval: 5, timeout: 2000 }).toBe(1);
    await tick(5);
    expect(t.cmd('BGSAVE', 'SCHEDULE')).toEqual({ k: 'simple', s: 'Background saving started' });
  });

  it('durability memory: SAVE saves nothing and says OK; IndexedDB unusable: SAVE says ERR', async () => {
    const m = testEngine();
    persister(m, null);
    m.cmd('SET', 'a', '1');
    expect(await reply(m, 'SAVE')).toEqual({ k: 'simple', s: 'OK' });
    expect(m.engine.dirty).toBe(0);
    expect(info(m).get('tabhive_storage')).toBe('memory');
    expect(info(m).get('aof_enabled')).toBe('0');

    const u = testEngine();
    persister(u, null, { unavailable: 'IndexedDB unavailable (UnknownError); data is kept in memory only' });
    u.cmd('SET', 'a', '1');
    expect(await reply(u, 'SAVE')).toEqual({ k: 'err', msg: 'ERR' });
    expect(u.cmd('SET', 'b', '1')).toEqual({ k: 'simple', s: 'OK' });
    expect(info(u).get('tabhive_storage')).toBe('memory-only');
    expect(info(u).get('tabhive_storage_error')).toBe('IndexedDB unavailable (UnknownError); data is kept in memory only');
  });
});

/** INFO persistence as a map of field → value text. */
function info(t: TestEngine): Map<string, string> {
  const r = t.cmd('INFO', 'persistence') as string | { s: string };
  const text = typeof r === 'string' ? r : r.s;
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}
