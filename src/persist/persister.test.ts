import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { testEngine, type TestEngine } from '../../test/helpers.js';
import { ObjType } from '../engine/keyspace.js';
import { loadRecords, Persister } from './persister.js';
import { databaseName, STORE, type StoredRecord, type TabhiveSchema } from './schema.js';
import { Store } from './store.js';

let seq = 0;
const names: string[] = [];
function freshName(): string {
  const n = `persist-test-${process.pid}-${++seq}`;
  names.push(n);
  return n;
}

const open: Store[] = [];
async function openStore(name: string): Promise<Store> {
  const s = await Store.open(name);
  open.push(s);
  return s;
}

afterEach(() => {
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

/** A persister whose timer never fires on its own during a test (flushes are explicit). */
function persister(t: TestEngine, store: Store | null): Persister {
  return new Persister(t.engine, store, { delayMs: 3_600_000 });
}

describe('schema', () => {
  it('names the database tabhive:<name> with one store keyed by [db, key]', async () => {
    const name = freshName();
    await openStore(name);
    const db = await openDB(databaseName(name));
    expect(db.name).toBe(`tabhive:${name}`);
    expect([...db.objectStoreNames]).toEqual(['keys']);
    const tx = db.transaction('keys');
    expect(tx.store.keyPath).toEqual(['db', 'key']);
    await tx.done;
    db.close();
  });
});

describe('flush', () => {
  it('puts changed keys and deletes removed ones, in one transaction', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'a', '1');
    t.cmd('SET', 'b', '2');
    t.cmd('SET', 'gone', 'x');
    await p.flush();
    t.cmd('DEL', 'gone');
    t.cmd('SET', 'a', 'one');
    await p.flush();
    const recs = await stored(name);
    expect(recs.map((r) => [r.db, r.key, r.value])).toEqual([
      [0, 'a', 'one'],
      [0, 'b', '2'],
    ]);
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
    const recs = await stored(name);
    expect(recs.map((r) => [r.db, r.key])).toEqual([
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

  it('updates dirty and lastsave like a save', async () => {
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
  });

  it('writes a set that cannot be stored not at all, and keeps its changes for the retry', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'first', '1');
    t.cmd('SET', 'bad', 'x');
    t.cmd('SET', 'last', '3');
    // A value that cannot be cloned makes its put throw in the middle of issuing the write set.
    const e = t.session.db.dict.get('bad')!;
    e.value = () => 'not cloneable';
    await expect(p.flush()).rejects.toThrow();
    expect(await stored(name)).toEqual([]);
    expect(p.pending()).toBe(true);
    t.cmd('SET', 'bad', 'fixed');
    await p.flush();
    expect((await stored(name)).map((r) => r.key)).toEqual(['bad', 'first', 'last']);
  });

  it('flush resolves only once earlier changes are stored, however many flushes overlap', async () => {
    const name = freshName();
    const t = testEngine();
    const p = persister(t, await openStore(name));
    t.cmd('SET', 'a', '1');
    const f1 = p.flush();
    t.cmd('SET', 'b', '2');
    const f2 = p.flush();
    await f2;
    expect((await stored(name)).map((r) => r.key)).toEqual(['a', 'b']);
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

  it('flushes on its own within delayMs of a change', async () => {
    const name = freshName();
    const t = testEngine();
    const p = new Persister(t.engine, await openStore(name), { delayMs: 5 });
    t.cmd('SET', 'a', '1');
    await expect.poll(async () => (await stored(name)).length, { interval: 5, timeout: 2000 }).toBe(1);
    expect(p.pending()).toBe(false);
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
    expect(res).toEqual({ loaded: 3, expired: 0, failed: 0 });
    expect(b.cmd('GET', 's')).toBe('v');
    expect(b.cmd('PTTL', 't')).toBe(9000);
    expect(b.cmd('DBSIZE')).toBe(2);
    b.cmd('SELECT', 3);
    expect(b.cmd('GET', 'in3')).toBe('x');
    // Loading is not a change.
    expect(b.engine.dirty).toBe(0);
  });

  it('skips records already expired and deletes them with the next flush', async () => {
    const name = freshName();
    const a = testEngine();
    const pa = persister(a, await openStore(name));
    a.cmd('SET', 'short', 'v', 'PX', 100);
    a.cmd('SET', 'long', 'v', 'PX', 100_000);
    await pa.flush();

    const b = testEngine(a.clock.t + 1000);
    const store = await openStore(name);
    const res = loadRecords(b.engine, await store.loadAll());
    expect(res).toEqual({ loaded: 1, expired: 1, failed: 0 });
    expect(b.cmd('EXISTS', 'short')).toBe(0);
    const pb = persister(b, store);
    await pb.flush();
    expect((await stored(name)).map((r) => r.key)).toEqual(['long']);
  });

  it('leaves a record it cannot revive on disk and loads the rest', async () => {
    const name = freshName();
    const store = await openStore(name);
    await store.write({
      clear: [],
      del: [],
      put: [
        { db: 0, key: 'ok', type: ObjType.String, value: 'v', expireAt: 0 },
        { db: 0, key: 'odd', type: 99 as ObjType, value: [], expireAt: 0 },
      ],
    });
    const t = testEngine();
    expect(loadRecords(t.engine, await store.loadAll())).toEqual({ loaded: 1, expired: 0, failed: 1 });
    const p = persister(t, store);
    t.cmd('SET', 'new', '1');
    await p.flush();
    expect((await stored(name)).map((r) => r.key).sort()).toEqual(['new', 'odd', 'ok']);
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
    loadRecords(b.engine, await (await openStore(name)).loadAll());
    for (const [cmd, key] of [
      ['LRANGE', 'list'], ['HGETALL', 'hash'], ['SMEMBERS', 'ints'], ['SMEMBERS', 'set'], ['ZRANGE', 'zset'],
    ] as const) {
      const args = cmd === 'LRANGE' || cmd === 'ZRANGE' ? [cmd, key, 0, -1] : [cmd, key];
      expect(b.cmd(...args)).toEqual(a.cmd(...args));
      expect(b.cmd('OBJECT', 'ENCODING', key)).toEqual(a.cmd('OBJECT', 'ENCODING', key));
    }
  });
});

describe('store', () => {
  it('clears a db range without touching the next db', async () => {
    const name = freshName();
    const store = await openStore(name);
    const rec = (db: number, key: string): StoredRecord => ({ db, key, type: ObjType.String, value: key, expireAt: 0 });
    await store.write({ clear: [], del: [], put: [rec(0, ''), rec(1, ''), rec(1, '\xff\xff'), rec(2, 'a')] });
    await store.write({ clear: [1], del: [], put: [] });
    expect((await store.loadAll()).map((r) => [r.db, r.key])).toEqual([
      [0, ''],
      [2, 'a'],
    ]);
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
